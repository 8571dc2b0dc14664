// Package node is the fixed twin of a hunt corpus kernel (three-lock cycle):
// Report reads the registry size before it takes metrics.mu, so every path
// takes the locks in the order reg, cache, metrics.
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
	n.reg.mu.Lock()
	entries := n.reg.entries
	n.reg.mu.Unlock()
	n.metrics.mu.Lock()
	defer n.metrics.mu.Unlock()
	n.metrics.reports++
	return entries
}
