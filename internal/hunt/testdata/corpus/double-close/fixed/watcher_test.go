package watcher

import "testing"

// TestStopAfterSourceEnds stops a watcher whose source already ended.
func TestStopAfterSourceEnds(t *testing.T) {
	src := make(chan int)
	w := Watch(src)
	src <- 1
	close(src)
	<-w.Done()
	w.Stop()
	if w.seen != 1 {
		t.Errorf("seen = %d, want 1", w.seen)
	}
}
