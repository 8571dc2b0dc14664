// Package mirror is a hunt corpus kernel: a goroutine leak in a package whose
// tests already have a TestMain.
//
// Mirror.Start launches a sync loop that waits for the next sync request or
// Stop; Stop only marks the mirror stopped and never wakes the loop, so the
// loop leaks. The package's TestMain sets up a shared fixture, so a hunting
// tool must keep the user's TestMain working and still see the per-test leak.
package mirror

import "sync"

// Mirror copies a source on request.
type Mirror struct {
	mu      sync.Mutex
	stopped bool
	syncs   chan struct{}
	copies  int
}

// Start returns a mirror whose sync loop is running.
func Start() *Mirror {
	m := &Mirror{syncs: make(chan struct{})}
	go m.loop()
	return m
}

func (m *Mirror) loop() {
	for range m.syncs {
		m.mu.Lock()
		m.copies++
		m.mu.Unlock()
	}
}

// Sync asks for one copy and returns once the loop has taken the request.
func (m *Mirror) Sync() { m.syncs <- struct{}{} }

// Stop stops the mirror.
func (m *Mirror) Stop() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.stopped = true // bug: the loop is never told; it waits on syncs forever
}
