package queue

import (
	"sync"
	"testing"
)

// TestTwoConsumers feeds two consumers; each stops at its -1 sentinel and
// counts the times Get woke to an empty queue.
func TestTwoConsumers(t *testing.T) {
	q := New()
	const items = 20
	empty := make(chan int, 2)
	var wg sync.WaitGroup
	for c := 0; c < 2; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := 0
			for {
				v, ok := q.Get()
				if !ok {
					n++
					continue
				}
				if v < 0 {
					break
				}
			}
			empty <- n
		}()
	}
	for i := 0; i < items; i++ {
		q.Put(i)
	}
	q.Put(-1)
	q.Put(-1)
	wg.Wait()
	if n := <-empty + <-empty; n != 0 {
		t.Errorf("Get woke to an empty queue %d times", n)
	}
}
