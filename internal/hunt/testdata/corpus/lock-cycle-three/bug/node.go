// Package node is a hunt corpus kernel: a lock-order cycle through three
// mutexes and three methods.
//
// Registry.Update takes reg.mu then cache.mu, Cache.Refresh takes cache.mu then
// metrics.mu, and Metrics.Report takes metrics.mu then reg.mu. No two methods
// disagree on a pair, so a checker that only compares pairs misses it; the
// cycle needs all three edges. The test calls the three methods one after
// another, so it never hangs.
package node

import "sync"

// Node wires a registry, a cache and metrics together.
type Node struct {
	reg struct {
		mu      sync.Mutex
		entries int
	}
	cache struct {
		mu  sync.Mutex
		gen int
	}
	metrics struct {
		mu      sync.Mutex
		reports int
	}
}

// Update adds a registry entry and bumps the cache generation.
func (n *Node) Update() {
	n.reg.mu.Lock()
	defer n.reg.mu.Unlock()
	n.reg.entries++
	n.cache.mu.Lock()
	n.cache.gen++
	n.cache.mu.Unlock()
}

// Refresh bumps the cache generation and records a report.
func (n *Node) Refresh() {
	n.cache.mu.Lock()
	defer n.cache.mu.Unlock()
	n.cache.gen++
	n.metrics.mu.Lock()
	n.metrics.reports++
	n.metrics.mu.Unlock()
}

// Report records a report with the registry size.
func (n *Node) Report() int {
	n.metrics.mu.Lock()
	defer n.metrics.mu.Unlock()
	n.metrics.reports++
	n.reg.mu.Lock() // bug: closes the cycle reg -> cache -> metrics -> reg
	defer n.reg.mu.Unlock()
	return n.reg.entries
}
