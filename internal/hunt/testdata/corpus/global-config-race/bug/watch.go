// Package watch is a hunt corpus kernel: a package-level setting written by a
// test while a server goroutine reads it.
//
// It has the shape of etcd#4876: the watch server's send loop reads the
// package variable ProgressReportInterval when it starts, and the test lowers
// the interval after starting the server, on another goroutine, with no
// synchronisation.
package watch

import "time"

// ProgressReportInterval is how often the watch stream reports progress.
var ProgressReportInterval = 10 * time.Minute

// Stream is one watch stream.
type Stream struct {
	interval chan time.Duration
}

// Serve starts the stream's send loop, which reports its interval once.
func Serve() *Stream {
	s := &Stream{interval: make(chan time.Duration, 1)}
	go s.sendLoop()
	return s
}

func (s *Stream) sendLoop() {
	s.interval <- ProgressReportInterval // bug: races with the test's write
}

// Interval returns the interval the send loop started with.
func (s *Stream) Interval() time.Duration { return <-s.interval }
