// Package warmup is the fixed twin of a hunt corpus kernel (a test that
// passes only on one schedule): the test waits for Ready before it handles a
// request, so the log order is fixed.
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
