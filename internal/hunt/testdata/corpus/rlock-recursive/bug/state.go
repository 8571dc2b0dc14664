// Package state is a hunt corpus kernel: RLock taken twice by one goroutine
// while a writer waits.
//
// It has the shape of kubernetes#62464 (the CPU manager's stateMemory):
// GetCPUSetOrDefault holds the read lock and calls GetDefaultCPUSet, which
// read-locks again. If SetDefaultCPUSet's Lock arrives between the two RLocks,
// the writer waits for the first reader and the second RLock waits for the
// writer: a deadlock that plain runs almost never hit.
package state

import "sync"

// Memory holds CPU assignments per container and a default set.
type Memory struct {
	mu          sync.RWMutex
	assignments map[string]int
	defaultSet  int
}

// NewMemory returns an empty state.
func NewMemory() *Memory { return &Memory{assignments: map[string]int{}} }

// GetCPUSetOrDefault returns the container's set, or the default set.
func (s *Memory) GetCPUSetOrDefault(name string) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if v, ok := s.assignments[name]; ok {
		return v
	}
	return s.GetDefaultCPUSet() // bug: read-locks s.mu a second time
}

// GetDefaultCPUSet returns the default set.
func (s *Memory) GetDefaultCPUSet() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.defaultSet
}

// SetDefaultCPUSet replaces the default set.
func (s *Memory) SetDefaultCPUSet(v int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.defaultSet = v
}
