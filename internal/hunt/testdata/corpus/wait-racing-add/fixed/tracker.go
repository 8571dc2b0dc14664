// Package tracker is the fixed twin of a hunt corpus kernel (Wait racing Add):
// Go and Shutdown agree under a mutex, so every accepted Add happens before
// Shutdown's Wait, and Go after Shutdown is refused.
package tracker

import "sync"

// Tracker counts in-flight handlers so Shutdown can wait for them.
type Tracker struct {
	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
}

// Go runs f on a new goroutine tracked by t and reports whether it did; it
// refuses after Shutdown.
func (t *Tracker) Go(f func()) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return false
	}
	t.wg.Add(1)
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
