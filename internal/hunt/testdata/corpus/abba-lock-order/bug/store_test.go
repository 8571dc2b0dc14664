package abba

import "testing"

// TestHeartbeats ticks a replica on one goroutine, then sends the queued
// heartbeats on another. The two never overlap, so the test cannot hang.
func TestHeartbeats(t *testing.T) {
	s := &Store{}
	r := &Replica{store: s}
	s.replicas = []*Replica{r}

	ticked := make(chan struct{})
	go func() {
		defer close(ticked)
		r.Tick()
	}()
	<-ticked

	sent := make(chan struct{})
	go func() {
		defer close(sent)
		s.SendQueuedHeartbeats()
	}()
	<-sent

	if r.unreachable != 1 {
		t.Errorf("unreachable reports = %d, want 1", r.unreachable)
	}
}
