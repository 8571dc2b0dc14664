package gate

import (
	"sync"
	"testing"
)

// TestOpenReleasesAll opens the gate once three callers are waiting.
func TestOpenReleasesAll(t *testing.T) {
	g := New()
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			g.Wait()
		}()
	}
	g.AwaitWaiters(3)
	g.Open()
	wg.Wait()
}
