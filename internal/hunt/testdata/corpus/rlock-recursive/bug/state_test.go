package state

import (
	"sync"
	"testing"
)

// TestDefaultCPUSet reads the default set while another goroutine updates it.
func TestDefaultCPUSet(t *testing.T) {
	s := NewMemory()
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := 1; i <= 2; i++ {
			s.SetDefaultCPUSet(i)
		}
	}()
	got := make(chan int, 1)
	go func() {
		defer wg.Done()
		got <- s.GetCPUSetOrDefault("missing")
	}()
	wg.Wait()
	if v := <-got; v < 0 || v > 2 {
		t.Errorf("default set = %d, want 0..2", v)
	}
}
