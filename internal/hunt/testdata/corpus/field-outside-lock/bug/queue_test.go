package podqueue

import (
	"sync"
	"testing"
	"time"
)

// TestAddWhileFlushing refreshes a pod while the flush loop runs.
func TestAddWhileFlushing(t *testing.T) {
	q := New()
	t0 := time.Unix(1000, 0)
	q.Add("p", t0)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		q.Flush(t0.Add(-time.Hour))
	}()
	q.Add("p", t0.Add(time.Minute))
	wg.Wait()
	if got := q.Flush(t0.Add(time.Hour)); len(got) != 1 {
		t.Errorf("Flush = %v, want [p]", got)
	}
}
