// Package stats is the fixed twin of a hunt corpus kernel (race under two
// different mutexes): one mutex guards all three counters.
package stats

import "sync"

// Stats counts cache hits and misses.
type Stats struct {
	mu     sync.Mutex
	hits   int
	misses int
	total  int
}

// Hit counts a hit.
func (s *Stats) Hit() {
	s.mu.Lock()
	s.hits++
	s.total++
	s.mu.Unlock()
}

// Miss counts a miss.
func (s *Stats) Miss() {
	s.mu.Lock()
	s.misses++
	s.total++
	s.mu.Unlock()
}
