// Package abba is a hunt corpus kernel: AB-BA lock order across two methods.
//
// It has the shape of cockroach#10214: Store.SendQueuedHeartbeats takes
// coalescedMu then each replica's raftMu, while Replica.Tick takes raftMu then
// the store's coalescedMu. The test runs the two paths one after the other, so
// it never hangs; only a lock-order checker sees the cycle.
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

// Tick takes raftMu, then coalescedMu while still holding raftMu: the reverse
// of SendQueuedHeartbeats' order.
func (r *Replica) Tick() {
	r.raftMu.Lock()
	defer r.raftMu.Unlock()
	r.ticks++
	r.store.coalescedMu.Lock()
	r.store.pending = append(r.store.pending, r.ticks)
	r.store.coalescedMu.Unlock()
}
