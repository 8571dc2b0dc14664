package tracker

import "testing"

// TestShutdownWhileAccepting shuts down while a connection goroutine is
// registering its handler.
func TestShutdownWhileAccepting(t *testing.T) {
	var tr Tracker
	accepted := make(chan struct{})
	go func() {
		defer close(accepted)
		tr.Go(func() {})
	}()
	tr.Shutdown()
	<-accepted
}
