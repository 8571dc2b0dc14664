// Package state is the fixed twin of a hunt corpus kernel (recursive RLock,
// kubernetes#62464): the default set is read by a helper that expects the
// lock to be held already, so each call read-locks once.
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
	return s.defaultLocked()
}

// GetDefaultCPUSet returns the default set.
func (s *Memory) GetDefaultCPUSet() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.defaultLocked()
}

// defaultLocked returns the default set; s.mu must be held.
func (s *Memory) defaultLocked() int { return s.defaultSet }

// SetDefaultCPUSet replaces the default set.
func (s *Memory) SetDefaultCPUSet(v int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.defaultSet = v
}
