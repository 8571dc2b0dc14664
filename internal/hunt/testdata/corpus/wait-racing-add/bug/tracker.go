// Package tracker is a hunt corpus kernel: WaitGroup.Wait racing Add.
//
// Tracker.Go counts a handler with wg.Add(1) and Shutdown waits with wg.Wait,
// but nothing orders a Go called by a connection goroutine before a concurrent
// Shutdown. The WaitGroup contract requires an Add from zero to happen before
// Wait; the race detector reports the violation when Shutdown's Wait finds the
// handler already counted. Plain runs rarely reach Wait that late.
package tracker

import "sync"

// Tracker counts in-flight handlers so Shutdown can wait for them.
type Tracker struct {
	wg sync.WaitGroup
}

// Go runs f on a new goroutine tracked by t.
func (t *Tracker) Go(f func()) {
	t.wg.Add(1) // bug: may run concurrently with Shutdown's Wait
	go func() {
		defer t.wg.Done()
		f()
	}()
}

// Shutdown waits for every tracked handler.
func (t *Tracker) Shutdown() {
	t.wg.Wait()
}
