// Package mirror is the fixed twin of a hunt corpus kernel (leak in a package
// with its own TestMain): Stop closes the request channel and waits for the
// loop to return.
package mirror

import "sync"

// Mirror copies a source on request.
type Mirror struct {
	mu      sync.Mutex
	stopped bool
	syncs   chan struct{}
	done    chan struct{}
	copies  int
}

// Start returns a mirror whose sync loop is running.
func Start() *Mirror {
	m := &Mirror{syncs: make(chan struct{}), done: make(chan struct{})}
	go m.loop()
	return m
}

func (m *Mirror) loop() {
	defer close(m.done)
	for range m.syncs {
		m.mu.Lock()
		m.copies++
		m.mu.Unlock()
	}
}

// Sync asks for one copy and returns once the loop has taken the request.
func (m *Mirror) Sync() { m.syncs <- struct{}{} }

// Stop stops the mirror and waits for its loop.
func (m *Mirror) Stop() {
	m.mu.Lock()
	if m.stopped {
		m.mu.Unlock()
		return
	}
	m.stopped = true
	m.mu.Unlock()
	close(m.syncs)
	<-m.done
}
