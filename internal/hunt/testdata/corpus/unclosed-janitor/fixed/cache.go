// Package cache is the fixed twin of the unclosed-janitor kernel: the same
// cache, and a test that closes it.
package cache

import "sync"

// A Cache maps keys to values; its janitor runs until Close.
type Cache struct {
	mu   sync.Mutex
	m    map[string]string
	stop chan struct{}
}

// New starts the cache's janitor.
func New() *Cache {
	c := &Cache{m: map[string]string{}, stop: make(chan struct{})}
	go c.janitor()
	return c
}

func (c *Cache) janitor() {
	<-c.stop
	c.mu.Lock()
	clear(c.m)
	c.mu.Unlock()
}

// Set stores v under k.
func (c *Cache) Set(k, v string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[k] = v
}

// Get returns the value stored under k.
func (c *Cache) Get(k string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[k]
}

// Close stops the janitor.
func (c *Cache) Close() { close(c.stop) }
