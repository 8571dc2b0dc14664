package gossip

import "testing"

func TestRunClosed(t *testing.T) {
	g := &Gossip{}
	g.Close()
	g.Run()
	if g.rounds != 1 {
		t.Errorf("rounds = %d, want 1", g.rounds)
	}
}
