package limiter

import (
	"sync"
	"testing"
)

// TestConcurrentTakes checks that four takes took the four tokens.
func TestConcurrentTakes(t *testing.T) {
	b := New(4)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() { b.Take() })
	}
	wg.Wait()
	if left := b.Left(); left != 0 {
		t.Errorf("%d tokens left after 4 takes, want 0", left)
	}
}
