// Package registry is the fixed twin of a hunt corpus kernel (map written from
// two goroutines): a mutex guards the map.
package registry

import "sync"

// Registry maps plugin names to versions.
type Registry struct {
	mu     sync.Mutex
	byName map[string]int
}

// New returns an empty registry.
func New() *Registry { return &Registry{byName: map[string]int{}} }

// Register records a plugin.
func (r *Registry) Register(name string, version int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.byName[name] = version
}

// Len returns the number of plugins.
func (r *Registry) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.byName)
}
