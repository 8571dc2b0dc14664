// Package watch is the fixed twin of a hunt corpus kernel (package setting
// written while a goroutine reads it, etcd#4876): the interval is an argument
// of Serve, read before the goroutine starts.
package watch

import "time"

// ProgressReportInterval is the default of how often the watch stream reports
// progress.
var ProgressReportInterval = 10 * time.Minute

// Stream is one watch stream.
type Stream struct {
	interval chan time.Duration
}

// Serve starts the stream's send loop with the given interval.
func Serve(interval time.Duration) *Stream {
	s := &Stream{interval: make(chan time.Duration, 1)}
	go s.sendLoop(interval)
	return s
}

func (s *Stream) sendLoop(interval time.Duration) {
	s.interval <- interval
}

// Interval returns the interval the send loop started with.
func (s *Stream) Interval() time.Duration { return <-s.interval }
