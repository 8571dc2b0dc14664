// Package cache is a hunt corpus kernel: a ticker goroutine never stopped.
//
// New starts a janitor that evicts expired entries on every tick, and Close
// does not stop it: the janitor (and its ticker) outlive the cache, the common
// shape of a cache janitor nobody owns.
package cache

import (
	"sync"
	"time"
)

// Cache maps keys to values that expire.
type Cache struct {
	mu      sync.Mutex
	items   map[string]time.Time
	evicted int
}

// New returns a cache whose janitor runs every interval.
func New(interval time.Duration) *Cache {
	c := &Cache{items: map[string]time.Time{}}
	go c.janitor(interval)
	return c
}

func (c *Cache) janitor(interval time.Duration) {
	t := time.NewTicker(interval)
	for now := range t.C { // bug: nothing ever stops this loop
		c.evict(now)
	}
}

func (c *Cache) evict(now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, exp := range c.items {
		if now.After(exp) {
			delete(c.items, k)
			c.evicted++
		}
	}
}

// Set stores key until ttl has passed.
func (c *Cache) Set(key string, ttl time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items[key] = time.Now().Add(ttl)
}

// Len returns the number of live entries.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items)
}

// Close releases the cache.
func (c *Cache) Close() {}
