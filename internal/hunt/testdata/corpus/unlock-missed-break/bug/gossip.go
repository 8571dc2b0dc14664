// Package gossip is a hunt corpus kernel: Unlock missed when breaking out of a
// loop, then the same goroutine locks again.
//
// It has the shape of cockroach#584 (Gossip.bootstrap and manage): the loop
// breaks out while holding g.mu when the gossip is closed, and the next
// function run by the same goroutine locks g.mu again and blocks on itself.
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
			break // bug: leaves the loop with g.mu held
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
