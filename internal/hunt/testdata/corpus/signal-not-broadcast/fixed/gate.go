// Package gate is the fixed twin of a hunt corpus kernel (Signal where
// Broadcast is needed): Open wakes every waiter with Broadcast.
package gate

import "sync"

// Gate blocks callers of Wait until Open.
type Gate struct {
	mu      sync.Mutex
	cond    *sync.Cond
	changed *sync.Cond // broadcast when waiting changes
	open    bool
	waiting int
}

// New returns a closed gate.
func New() *Gate {
	g := &Gate{}
	g.cond = sync.NewCond(&g.mu)
	g.changed = sync.NewCond(&g.mu)
	return g
}

// Wait blocks until the gate is open.
func (g *Gate) Wait() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.waiting++
	g.changed.Broadcast()
	for !g.open {
		g.cond.Wait()
	}
	g.waiting--
}

// AwaitWaiters blocks until n callers are blocked in Wait.
func (g *Gate) AwaitWaiters(n int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for g.waiting < n {
		g.changed.Wait()
	}
}

// Open lets every waiter through.
func (g *Gate) Open() {
	g.mu.Lock()
	g.open = true
	g.mu.Unlock()
	g.cond.Broadcast()
}
