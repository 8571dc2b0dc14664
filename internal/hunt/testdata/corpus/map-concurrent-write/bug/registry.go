// Package registry is a hunt corpus kernel: a map written from two goroutines.
//
// Plugins register themselves from their own init goroutines; the registry's
// map has no lock. The race detector reports it; without -race the runtime may
// also die with "concurrent map writes".
package registry

// Registry maps plugin names to versions.
type Registry struct {
	byName map[string]int
}

// New returns an empty registry.
func New() *Registry { return &Registry{byName: map[string]int{}} }

// Register records a plugin.
func (r *Registry) Register(name string, version int) {
	r.byName[name] = version // bug: no lock
}

// Len returns the number of plugins.
func (r *Registry) Len() int { return len(r.byName) }
