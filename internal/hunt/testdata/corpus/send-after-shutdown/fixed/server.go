// Package server is the fixed twin of a hunt corpus kernel (send on a closed
// channel after shutdown): Submit and Shutdown agree under a mutex, and a late
// Submit gets ErrClosed.
package server

import (
	"errors"
	"sync"
)

// ErrClosed is returned by Submit after Shutdown.
var ErrClosed = errors.New("server: closed")

// Server handles requests on one goroutine.
type Server struct {
	mu      sync.Mutex
	closed  bool
	reqs    chan int
	done    chan struct{}
	handled int
}

// New starts a server.
func New() *Server {
	s := &Server{reqs: make(chan int), done: make(chan struct{})}
	go s.serve()
	return s
}

func (s *Server) serve() {
	defer close(s.done)
	for range s.reqs {
		s.handled++
	}
}

// Submit hands a request to the server, or returns ErrClosed after Shutdown.
func (s *Server) Submit(v int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	s.reqs <- v
	return nil
}

// Shutdown stops the server after the requests already submitted.
func (s *Server) Shutdown() {
	s.mu.Lock()
	if !s.closed {
		s.closed = true
		close(s.reqs)
	}
	s.mu.Unlock()
	<-s.done
}
