// Package stats is a hunt corpus kernel: a data race where each racing
// goroutine holds a mutex, but a different one.
//
// Hit and Miss each take their own lock and both bump total. Each access is
// "under a lock", so the code looks guarded, yet no single lock orders the two
// writes. A schedule-perturbing runtime that put a shared lock or channel in
// its yield path would add a happens-before edge and hide this race; hunt must
// still report it.
package stats

import "sync"

// Stats counts cache hits and misses.
type Stats struct {
	hitMu  sync.Mutex
	hits   int
	missMu sync.Mutex
	misses int
	total  int
}

// Hit counts a hit.
func (s *Stats) Hit() {
	s.hitMu.Lock()
	s.hits++
	s.total++ // bug: total is written under hitMu here and missMu in Miss
	s.hitMu.Unlock()
}

// Miss counts a miss.
func (s *Stats) Miss() {
	s.missMu.Lock()
	s.misses++
	s.total++
	s.missMu.Unlock()
}
