// Package stopper is the fixed twin of a hunt corpus kernel (WaitGroup.Wait
// under a lock, cockroach#1055): Stop releases s.mu before it waits for the
// workers.
package stopper

import "sync"

// Stopper runs workers and stops them together.
type Stopper struct {
	mu       sync.Mutex
	draining bool
	stopper  chan struct{}
	workers  sync.WaitGroup
	tasks    int
}

// New returns a running stopper.
func New() *Stopper { return &Stopper{stopper: make(chan struct{})} }

// RunWorker runs f on a new goroutine; f should return when ShouldStop closes.
func (s *Stopper) RunWorker(f func()) {
	s.workers.Add(1)
	go func() {
		defer s.workers.Done()
		f()
	}()
}

// ShouldStop is closed when Stop begins.
func (s *Stopper) ShouldStop() <-chan struct{} { return s.stopper }

// StartTask registers a task and reports whether the stopper still accepts
// tasks.
func (s *Stopper) StartTask() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.draining {
		return false
	}
	s.tasks++
	return true
}

// Stop signals the workers and waits for them.
func (s *Stopper) Stop() {
	s.mu.Lock()
	s.draining = true
	close(s.stopper)
	s.mu.Unlock()
	s.workers.Wait()
}
