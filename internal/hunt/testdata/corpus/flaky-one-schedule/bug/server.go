// Package warmup is a hunt corpus kernel: a test that passes only on one
// schedule (flaky by design).
//
// Start warms the cache on a background goroutine and returns at once. The
// test handles a request right after Start and asserts the log order it always
// saw on the author's machine, "handled" before "warmed": true only when the
// warm-up goroutine has not run yet. Every access is locked; the test is wrong,
// not racy. Plain runs pass nearly always.
package warmup

import "sync"

// Server logs what it did, in order.
type Server struct {
	mu    sync.Mutex
	log   []string
	ready chan struct{}
}

// New returns a server that has not started.
func New() *Server { return &Server{ready: make(chan struct{})} }

// Start warms the cache in the background; Ready is closed when it is warm.
func (s *Server) Start() {
	go func() {
		defer close(s.ready)
		s.record("warmed")
	}()
}

// Ready is closed once the cache is warm.
func (s *Server) Ready() <-chan struct{} { return s.ready }

// Handle serves one request.
func (s *Server) Handle(req string) { s.record("handled " + req) }

func (s *Server) record(ev string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = append(s.log, ev)
}

// Log returns the events so far.
func (s *Server) Log() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.log...)
}
