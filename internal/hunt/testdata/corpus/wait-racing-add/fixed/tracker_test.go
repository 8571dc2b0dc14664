package tracker

import (
	"sync"
	"testing"
)

// TestShutdownWhileAccepting shuts down while three connection goroutines are
// registering their handlers.
func TestShutdownWhileAccepting(t *testing.T) {
	var tr Tracker
	var accepting sync.WaitGroup
	for i := 0; i < 3; i++ {
		accepting.Add(1)
		go func() {
			defer accepting.Done()
			tr.Go(func() {})
		}()
	}
	tr.Shutdown()
	accepting.Wait()
}
