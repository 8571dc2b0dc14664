// Package pool is the fixed twin of a hunt corpus kernel (check-then-act under
// separate critical sections): the lookup and the insert are one critical
// section.
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
	defer p.mu.Unlock()
	if c, ok := p.conns[addr]; ok {
		return c
	}
	c := &Conn{Addr: addr}
	p.dials++
	p.conns[addr] = c
	return c
}

// Dials returns how many connections were dialled.
func (p *Pool) Dials() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.dials
}
