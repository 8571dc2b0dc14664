package scenarios

import (
	"context"
	"sync"
)

// taskContext is the context a [TaskExecutor]'s task runs with: the one
// given to [Submit], also cancelled with cause [ErrShutdown] when a Shutdown
// gives up, and cancelled when the task returns. That needs a cancellable
// child of the Submit context, which costs two allocations and a lock of
// the parent both when it is made and when it is cancelled: taskContext
// makes it only when something asks for its Done channel, when a Shutdown
// gives up, or when it is asked anything after the task returned. A task
// that only calls Err or Value (or nothing) never pays for it.
type taskContext struct {
	context.Context // the one given to Submit
	mu              sync.Mutex
	child           context.Context // nil until needed
	cancel          context.CancelCauseFunc
	ended           bool // the task returned: child is cancelled, even if made later
}

// current returns the context the methods answer from: the child, making
// it first if need is set or the task has returned, or else the Submit
// context, which the child would only relay.
func (c *taskContext) current(need bool) context.Context {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.child == nil && (need || c.ended) {
		c.child, c.cancel = context.WithCancelCause(c.Context)
		if c.ended {
			c.cancel(nil)
		}
	}
	if c.child == nil {
		return c.Context
	}
	return c.child
}

func (c *taskContext) Done() <-chan struct{} { return c.current(true).Done() }
func (c *taskContext) Err() error            { return c.current(false).Err() }
func (c *taskContext) Value(key any) any     { return c.current(false).Value(key) }

// kill cancels the task's context with cause ErrShutdown.
func (c *taskContext) kill() {
	c.current(true)
	c.cancel(ErrShutdown)
}

// end marks the task returned and cancels its context if it was made.
func (c *taskContext) end() {
	c.mu.Lock()
	c.ended = true
	cancel := c.cancel
	c.mu.Unlock()
	if cancel != nil {
		cancel(nil)
	}
}
