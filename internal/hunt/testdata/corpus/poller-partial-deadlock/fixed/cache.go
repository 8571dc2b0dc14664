// Package cache is the fixed twin of the poller-partial-deadlock kernel:
// the results channel has room for every fetcher's result, so a fetcher
// never blocks after Refresh stops reading at the first error.
package cache

import (
	"sync"
	"time"
)

// A Cache holds fetched values and expires none; its janitor polls.
type Cache struct {
	mu      sync.Mutex
	entries map[string]int
	sweeps  int
	stop    chan struct{}
	done    chan struct{}
}

// New starts a cache and its janitor; Close stops it.
func New() *Cache {
	c := &Cache{entries: map[string]int{}, stop: make(chan struct{}), done: make(chan struct{})}
	go c.janitor()
	return c
}

func (c *Cache) janitor() {
	defer close(c.done)
	for {
		select {
		case <-c.stop:
			return
		default:
		}
		time.Sleep(5 * time.Millisecond)
		c.mu.Lock()
		c.sweeps++
		c.mu.Unlock()
	}
}

// Close stops the janitor and waits for it.
func (c *Cache) Close() {
	close(c.stop)
	<-c.done
}

// Refresh fetches every key, one goroutine each, stores the values and
// returns the first error, once every fetcher has returned.
func (c *Cache) Refresh(keys []string, fetch func(string) (int, error)) error {
	type result struct {
		key string
		v   int
		err error
	}
	results := make(chan result, len(keys))
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := fetch(k)
			results <- result{k, v, err}
		}()
	}
	for range keys {
		r := <-results
		if r.err != nil {
			wg.Wait()
			return r.err
		}
		c.mu.Lock()
		c.entries[r.key] = r.v
		c.mu.Unlock()
	}
	wg.Wait()
	return nil
}
