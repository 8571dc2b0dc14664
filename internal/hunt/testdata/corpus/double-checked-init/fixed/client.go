// Package lazy is the fixed twin of a hunt corpus kernel (double-checked lazy
// initialisation): sync.Once creates the connection and publishes it safely.
package lazy

import "sync"

// Conn is an expensive connection.
type Conn struct{ ID int }

// Client creates its connection on first use.
type Client struct {
	once  sync.Once
	conn  *Conn
	dials int
}

// Conn returns the client's connection, dialling it once.
func (c *Client) Conn() *Conn {
	c.once.Do(func() {
		c.dials++
		c.conn = &Conn{ID: c.dials}
	})
	return c.conn
}
