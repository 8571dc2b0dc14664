// Package shop is a small module to run `conclab scale` on: four
// benchmarks, each stopped from scaling by a different cause (or by none).
package shop

import (
	"sync"
	"sync/atomic"
)

// work is a fixed amount of CPU work, with no memory traffic: n rounds of
// xorshift from seed.
func work(seed uint64, n int) uint64 {
	x := seed | 1
	for range n {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
	}
	return x
}

// Cache is a map behind one mutex: every Get serialises on it.
type Cache struct {
	mu sync.Mutex
	m  map[uint64]uint64
}

// NewCache returns an empty cache.
func NewCache() *Cache { return &Cache{m: map[uint64]uint64{}} }

// Get returns the value for key, computing it under the lock when missing.
func (c *Cache) Get(key uint64) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[key%512]
	if !ok {
		v = work(key, 64)
		c.m[key%512] = v
	}
	return v + work(v, 200) // the work done under the lock
}

// node is a binary tree node: pointers for the collector to trace.
type node struct {
	left, right *node
	val         uint64
}

// Tree builds a fresh tree of depth d: 2^d − 1 allocations.
func Tree(d int) *node {
	if d == 0 {
		return nil
	}
	return &node{left: Tree(d - 1), right: Tree(d - 1), val: uint64(d)}
}

// Sum walks the tree.
func (n *node) Sum() uint64 {
	if n == nil {
		return 0
	}
	return n.val + n.left.Sum() + n.right.Sum()
}

// Merge splits work over workers goroutines, then folds their results on
// one goroutine: the fold is a serial section as long as the parallel
// part at one worker, with no lock at all.
func Merge(workers, units int) uint64 {
	parts := make([]uint64, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			parts[w] = work(uint64(w), units/workers)
		}()
	}
	wg.Wait()
	var sum uint64
	for _, p := range parts {
		sum += p
	}
	return sum + work(sum, units) // the fold
}

// Hash is independent work per goroutine: it scales.
func Hash(seed uint64) uint64 { return work(seed, 2000) }

var sink atomic.Uint64
