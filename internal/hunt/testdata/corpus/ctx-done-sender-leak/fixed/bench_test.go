package bench

import (
	"context"
	"testing"
)

// TestCallLoopStop cancels the loop from inside the third call, which then
// finishes after the loop has returned.
func TestCallLoopStop(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	release := make(chan struct{})
	calls := 0
	n := CallLoop(ctx, func() error {
		calls++
		if calls == 3 {
			cancel()
			<-release
		}
		return nil
	})
	close(release)
	if n != 2 {
		t.Errorf("completed calls = %d, want 2", n)
	}
}
