package registry

import (
	"fmt"
	"sync"
	"testing"
)

func TestRegisterConcurrently(t *testing.T) {
	r := New()
	var wg sync.WaitGroup
	for g := 0; g < 2; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				r.Register(fmt.Sprintf("plugin-%d-%d", g, i), i)
			}
		}()
	}
	wg.Wait()
	if n := r.Len(); n != 100 {
		t.Errorf("Len = %d, want 100", n)
	}
}
