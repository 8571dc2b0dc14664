package limiter

import (
	"sync"
	"testing"
	"time"
)

// TestConcurrentTakes asserts a wall-clock margin: four takes in 100 µs.
func TestConcurrentTakes(t *testing.T) {
	b := New(4)
	start := time.Now()
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() { b.Take() })
	}
	wg.Wait()
	if d := time.Since(start); d > 100*time.Microsecond {
		t.Errorf("4 takes took %v, want at most 100µs", d)
	}
}
