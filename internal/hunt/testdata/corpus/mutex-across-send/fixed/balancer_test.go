package balancer

import "testing"

func TestAddrUpdates(t *testing.T) {
	rr := New()
	seen := make(chan int, 1)
	go func() { seen <- LBWatcher(rr) }()
	rr.WatchAddrUpdates([][]string{{"a", "b"}, {"b"}, {"c"}})
	if n := <-seen; n != 3 {
		t.Errorf("updates seen = %d, want 3", n)
	}
}
