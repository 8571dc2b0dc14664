// Package rows is a hunt corpus kernel: a context never cancelled, whose
// goroutine waits on it forever.
//
// It has the shape of cockroach#13755 (database/sql Rows.awaitDone): Query
// derives a cancellable context and starts a goroutine that closes the rows
// when the context is done, but Close never calls the cancel function, so with
// a background parent the goroutine waits forever.
package rows

import (
	"context"
	"sync"
)

// Rows is the result of a query.
type Rows struct {
	mu     sync.Mutex
	cancel context.CancelFunc
	closed bool
	data   []int
	pos    int
}

// Query returns rows that are closed when ctx is done or on Close.
func Query(ctx context.Context, data []int) *Rows {
	rs := &Rows{data: data}
	ctx, rs.cancel = context.WithCancel(ctx)
	go rs.awaitDone(ctx)
	return rs
}

func (rs *Rows) awaitDone(ctx context.Context) {
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

// Close closes the rows.
func (rs *Rows) Close() {
	rs.close() // bug: rs.cancel is never called, awaitDone waits forever
}
