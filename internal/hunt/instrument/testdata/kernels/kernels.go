// Package kernels holds tiny concurrency bugs, each next to its fixed
// version, on which the instrument package's tests check every hook.
package kernels

import (
	"sync"
)

// Account is guarded by its own mutex.
type Account struct {
	mu      sync.Mutex
	balance int
}

// Transfer locks from, then to: called both ways it takes two locks in
// opposite orders.
func Transfer(from, to *Account, n int) {
	from.mu.Lock()
	defer from.mu.Unlock()
	to.mu.Lock()
	defer to.mu.Unlock()
	from.balance -= n
	to.balance += n
}

// Counter embeds its mutex.
type Counter struct {
	sync.Mutex
	n int
}

// Inc adds one.
func (c *Counter) Inc() {
	c.Lock()
	c.n++
	c.Unlock()
}

// IncTwice locks c and calls Inc, which locks it again.
func (c *Counter) IncTwice() {
	c.Lock()
	defer c.Unlock()
	c.Inc()
}

// Cache is read under an RWMutex.
type Cache struct {
	mu sync.RWMutex
	m  map[string]int
}

// Get reads one key.
func (c *Cache) Get(k string) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.m[k]
}

// GetTwice read-locks c and calls Get, which read-locks it again.
func (c *Cache) GetTwice(k string) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.Get(k) + c.m[k]
}

// Queue hands items over through a Cond on an instrumented mutex.
type Queue struct {
	mu    sync.Mutex
	cond  *sync.Cond
	items []int
}

// NewQueue returns an empty queue.
func NewQueue() *Queue {
	q := &Queue{}
	q.cond = sync.NewCond(&q.mu)
	return q
}

// Put appends v.
func (q *Queue) Put(v int) {
	q.mu.Lock()
	q.items = append(q.items, v)
	q.mu.Unlock()
	q.cond.Signal()
}

// Take waits for an item.
func (q *Queue) Take() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.cond.Wait()
	}
	v := q.items[0]
	q.items = q.items[1:]
	return v
}
