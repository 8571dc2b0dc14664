// Package gossip is the fixed twin of a hunt corpus kernel (Unlock missed on
// break, cockroach#584): bootstrap unlocks before it leaves the loop.
package gossip

import "sync"

// Gossip is a gossip network node.
type Gossip struct {
	mu     sync.Mutex
	closed bool
	rounds int
}

// Close marks the node closed.
func (g *Gossip) Close() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.closed = true
}

func (g *Gossip) bootstrap() {
	for {
		g.mu.Lock()
		if g.closed {
			g.mu.Unlock()
			break
		}
		g.rounds++
		g.mu.Unlock()
	}
}

func (g *Gossip) manage() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.rounds++
}

// Run bootstraps the node and then manages it, on the caller's goroutine.
func (g *Gossip) Run() {
	g.bootstrap()
	g.manage()
}
