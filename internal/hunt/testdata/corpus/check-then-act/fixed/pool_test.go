package pool

import "testing"

// TestOneConnPerAddr sends two first requests for the same address.
func TestOneConnPerAddr(t *testing.T) {
	p := New()
	got := make(chan *Conn, 2)
	for i := 0; i < 2; i++ {
		go func() { got <- p.Get("10.0.0.1:443") }()
	}
	a, b := <-got, <-got
	if a != b {
		t.Error("two requests got different connections to one address")
	}
	if n := p.Dials(); n != 1 {
		t.Errorf("dials = %d, want 1", n)
	}
}
