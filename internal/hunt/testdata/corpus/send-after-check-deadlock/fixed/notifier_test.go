package notifier

import "testing"

// TestNotifyWhileClosing notifies from another goroutine while closing.
func TestNotifyWhileClosing(t *testing.T) {
	n := New()
	notified := make(chan struct{})
	go func() {
		defer close(notified)
		n.Notify(1)
	}()
	n.Close()
	<-notified
}
