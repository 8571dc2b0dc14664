package stats

import (
	"sync"
	"testing"
)

func TestHitsAndMisses(t *testing.T) {
	var s Stats
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := 0; i < 10; i++ {
			s.Hit()
		}
	}()
	go func() {
		defer wg.Done()
		for i := 0; i < 10; i++ {
			s.Miss()
		}
	}()
	wg.Wait()
	if s.hits != 10 || s.misses != 10 {
		t.Errorf("hits, misses = %d, %d, want 10, 10", s.hits, s.misses)
	}
}
