// Package pool is a hunt corpus kernel: check-then-act on a map under two
// separate critical sections.
//
// Get looks the address up under the lock, dials outside it, and stores the
// connection under the lock again. Every access is locked, so the race detector
// is silent, but two concurrent first requests can both miss and both dial:
// the pool ends up with two connections for one address. Plain runs almost
// never interleave the two requests that tightly.
package pool

import "sync"

// Conn is a connection to one address.
type Conn struct{ Addr string }

// Pool keeps one connection per address.
type Pool struct {
	mu    sync.Mutex
	conns map[string]*Conn
	dials int
}

// New returns an empty pool.
func New() *Pool { return &Pool{conns: map[string]*Conn{}} }

// Get returns the pool's connection to addr, dialling it on first use.
func (p *Pool) Get(addr string) *Conn {
	p.mu.Lock()
	c, ok := p.conns[addr]
	p.mu.Unlock()
	if ok {
		return c
	}
	// bug: another Get may miss too and dial in this window
	c = &Conn{Addr: addr}
	p.mu.Lock()
	p.dials++
	p.conns[addr] = c
	p.mu.Unlock()
	return c
}

// Dials returns how many connections were dialled.
func (p *Pool) Dials() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.dials
}
