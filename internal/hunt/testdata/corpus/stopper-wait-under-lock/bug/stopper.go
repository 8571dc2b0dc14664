// Package stopper is a hunt corpus kernel: a mixed WaitGroup/lock/channel
// deadlock.
//
// It has the shape of cockroach#1055 (util.Stopper): Stop takes s.mu, closes
// the stopper channel and waits for the workers while still holding s.mu. A
// worker that wakes on the stopper channel and calls StartTask needs s.mu to
// finish, so Stop waits for the worker and the worker waits for Stop's lock.
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
	defer s.mu.Unlock()
	s.draining = true
	close(s.stopper)
	s.workers.Wait() // bug: waits for workers while holding s.mu
}
