package notifier

import (
	"sync"
	"testing"
)

// TestNotifyWhileClosing notifies from three goroutines while closing.
func TestNotifyWhileClosing(t *testing.T) {
	n := New()
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n.Notify(i)
		}()
	}
	n.Close()
	wg.Wait()
}
