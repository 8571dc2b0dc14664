// Package tracker is a hunt corpus kernel: WaitGroup.Wait racing Add.
//
// Shutdown marks the tracker closed under t.mu and waits with wg.Wait, but Go
// neither takes the lock nor checks closed: it counts the handler with
// wg.Add(1) whenever a connection goroutine calls it. Nothing orders an Add
// from zero by such a goroutine before a concurrent Shutdown's Wait, as the
// WaitGroup contract requires; the race detector reports it when Wait finds
// the handler already counted. Plain runs rarely reach Wait that late.
package tracker

import "sync"

// Tracker counts in-flight handlers so Shutdown can wait for them.
type Tracker struct {
	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
}

// Go runs f on a new goroutine tracked by t and reports whether it did.
func (t *Tracker) Go(f func()) bool {
	t.wg.Add(1) // bug: unordered with Shutdown's Wait, and closed is never checked
	go func() {
		defer t.wg.Done()
		f()
	}()
	return true
}

// Shutdown refuses new handlers and waits for every tracked one.
func (t *Tracker) Shutdown() {
	t.mu.Lock()
	t.closed = true
	t.mu.Unlock()
	t.wg.Wait()
}
