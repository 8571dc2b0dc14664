// Package abba is the fixed twin of a hunt corpus kernel (AB-BA lock order,
// cockroach#10214): Tick releases raftMu before it takes coalescedMu, so the
// only order is coalescedMu -> raftMu.
package abba

import "sync"

// Store queues heartbeats for its replicas.
type Store struct {
	coalescedMu sync.Mutex
	pending     []int
	replicas    []*Replica
}

// Replica is one range replica of a store.
type Replica struct {
	store       *Store
	raftMu      sync.Mutex
	ticks       int
	unreachable int
}

// SendQueuedHeartbeats takes coalescedMu, then raftMu of each replica.
func (s *Store) SendQueuedHeartbeats() {
	s.coalescedMu.Lock()
	defer s.coalescedMu.Unlock()
	for range s.pending {
		for _, r := range s.replicas {
			r.reportUnreachable()
		}
	}
	s.pending = s.pending[:0]
}

func (r *Replica) reportUnreachable() {
	r.raftMu.Lock()
	defer r.raftMu.Unlock()
	r.unreachable++
}

// Tick counts a tick under raftMu and queues it under coalescedMu, never
// holding both.
func (r *Replica) Tick() {
	r.raftMu.Lock()
	r.ticks++
	t := r.ticks
	r.raftMu.Unlock()
	r.store.coalescedMu.Lock()
	r.store.pending = append(r.store.pending, t)
	r.store.coalescedMu.Unlock()
}
