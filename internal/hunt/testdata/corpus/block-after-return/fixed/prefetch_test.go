package prefetch

import "testing"

// TestStartUnused starts a prefetch and does not need it.
func TestStartUnused(t *testing.T) {
	p := Start(1 << 20)
	if p == nil {
		t.Fatal("Start returned nil")
	}
}
