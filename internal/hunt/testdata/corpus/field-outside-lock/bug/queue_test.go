package podqueue

import (
	"sync"
	"testing"
	"time"
)

// TestAgeWhileRefreshing asks a pod's age while another goroutine refreshes it.
func TestAgeWhileRefreshing(t *testing.T) {
	q := New()
	t0 := time.Unix(1000, 0)
	q.Add("p", t0)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		q.Add("p", t0.Add(time.Minute))
	}()
	age := q.Age("p", t0.Add(time.Hour))
	wg.Wait()
	if age != time.Hour && age != 59*time.Minute {
		t.Errorf("age = %v, want 1h or 59m", age)
	}
	if got := q.Flush(t0.Add(time.Hour)); len(got) != 1 {
		t.Errorf("Flush = %v, want [p]", got)
	}
}
