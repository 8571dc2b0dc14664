// Package server is a hunt corpus kernel: send on a closed channel after
// shutdown.
//
// Shutdown closes the request channel to stop the serve loop; a late Submit
// (a client retry) still sends on it and panics. The late send is ordered after
// the close by the caller, so the race detector has nothing to say: only the
// panic shows the bug.
package server

import "errors"

// ErrClosed is returned by Submit after Shutdown.
var ErrClosed = errors.New("server: closed")

// Server handles requests on one goroutine.
type Server struct {
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

// Submit hands a request to the server.
func (s *Server) Submit(v int) error {
	s.reqs <- v // bug: no check for shutdown
	return nil
}

// Shutdown stops the server after the requests already submitted.
func (s *Server) Shutdown() {
	close(s.reqs)
	<-s.done
}
