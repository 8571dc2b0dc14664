// Package conn is the fixed twin of a hunt corpus kernel (check-then-close):
// sync.Once makes the check and the close one step.
package conn

import "sync"

// Conn is a connection whose read loop and user may both close it.
type Conn struct {
	once sync.Once
	done chan struct{}
}

// New returns an open connection.
func New() *Conn { return &Conn{done: make(chan struct{})} }

// Close closes the connection; it is safe to call more than once.
func (c *Conn) Close() {
	c.once.Do(func() { close(c.done) })
}

// Done is closed once the connection is closed.
func (c *Conn) Done() <-chan struct{} { return c.done }
