// Package cache is the fixed twin of a hunt corpus kernel (ticker goroutine
// never stopped): Close stops the janitor and waits for it.
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
	stop    chan struct{}
	done    chan struct{}
}

// New returns a cache whose janitor runs every interval.
func New(interval time.Duration) *Cache {
	c := &Cache{
		items: map[string]time.Time{},
		stop:  make(chan struct{}),
		done:  make(chan struct{}),
	}
	go c.janitor(interval)
	return c
}

func (c *Cache) janitor(interval time.Duration) {
	defer close(c.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case now := <-t.C:
			c.evict(now)
		case <-c.stop:
			return
		}
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

// Close stops the janitor and waits for it to return.
func (c *Cache) Close() {
	close(c.stop)
	<-c.done
}
