package node

import "testing"

// TestUpdateRefreshReport runs the three paths on three goroutines, one after
// another.
func TestUpdateRefreshReport(t *testing.T) {
	var n Node
	for _, f := range []func(){n.Update, n.Refresh, func() { n.Report() }} {
		done := make(chan struct{})
		go func() {
			defer close(done)
			f()
		}()
		<-done
	}
	if got := n.Report(); got != 1 {
		t.Errorf("Report = %d, want 1", got)
	}
}
