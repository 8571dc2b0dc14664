// Package lazy is a hunt corpus kernel: double-checked lazy initialisation
// without atomics, tested from an external test package (package lazy_test).
//
// Client reads c.conn without the lock to skip locking on the fast path and
// only locks to create it. The unlocked read races with the locked write of
// another goroutine; the race detector reports it.
package lazy

import "sync"

// Conn is an expensive connection.
type Conn struct{ ID int }

// Client creates its connection on first use.
type Client struct {
	mu    sync.Mutex
	conn  *Conn
	dials int
}

// Conn returns the client's connection, dialling it once.
func (c *Client) Conn() *Conn {
	if c.conn == nil { // bug: unlocked read of a field written under c.mu
		c.mu.Lock()
		if c.conn == nil {
			c.dials++
			c.conn = &Conn{ID: c.dials}
		}
		c.mu.Unlock()
	}
	return c.conn
}
