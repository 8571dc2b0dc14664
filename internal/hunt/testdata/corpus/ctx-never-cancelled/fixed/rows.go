// Package rows is the fixed twin of a hunt corpus kernel (context never
// cancelled, cockroach#13755): Close cancels the context, which ends
// awaitDone, and waits for it.
package rows

import (
	"context"
	"sync"
)

// Rows is the result of a query.
type Rows struct {
	mu     sync.Mutex
	cancel context.CancelFunc
	done   chan struct{}
	closed bool
	data   []int
	pos    int
}

// Query returns rows that are closed when ctx is done or on Close.
func Query(ctx context.Context, data []int) *Rows {
	rs := &Rows{data: data, done: make(chan struct{})}
	ctx, rs.cancel = context.WithCancel(ctx)
	go rs.awaitDone(ctx)
	return rs
}

func (rs *Rows) awaitDone(ctx context.Context) {
	defer close(rs.done)
	<-ctx.Done()
	rs.close()
}

func (rs *Rows) close() {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.closed = true
}

// Next returns the next row, or false at the end or after Close.
func (rs *Rows) Next() (int, bool) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if rs.closed || rs.pos == len(rs.data) {
		return 0, false
	}
	rs.pos++
	return rs.data[rs.pos-1], true
}

// Close closes the rows and waits for the watcher goroutine.
func (rs *Rows) Close() {
	rs.cancel()
	<-rs.done
}
