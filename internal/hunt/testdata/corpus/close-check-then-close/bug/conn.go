// Package conn is a hunt corpus kernel: the "select-default then close" idiom
// that closes a channel twice when two closers overlap.
//
// Close checks whether done is already closed and closes it if not. The check
// and the close are two steps: when the read loop's error path and the user's
// Close run together, both can see done open and both close it ("close of
// closed channel"). Plain runs almost never overlap them that tightly.
package conn

// Conn is a connection whose read loop and user may both close it.
type Conn struct {
	done chan struct{}
}

// New returns an open connection.
func New() *Conn { return &Conn{done: make(chan struct{})} }

// Close closes the connection; it is meant to be safe to call twice.
func (c *Conn) Close() {
	select {
	case <-c.done:
	default:
		close(c.done) // bug: another Close may have passed the check too
	}
}

// Done is closed once the connection is closed.
func (c *Conn) Done() <-chan struct{} { return c.done }
