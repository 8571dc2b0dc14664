// Package queue is the fixed twin of a hunt corpus kernel (Cond.Wait under if):
// Get re-checks the condition in a loop after every wake-up.
package queue

import "sync"

// Queue is an unbounded FIFO of ints.
type Queue struct {
	mu    sync.Mutex
	cond  *sync.Cond
	items []int
}

// New returns an empty queue.
func New() *Queue {
	q := &Queue{}
	q.cond = sync.NewCond(&q.mu)
	return q
}

// Put appends v and wakes one waiting Get.
func (q *Queue) Put(v int) {
	q.mu.Lock()
	q.items = append(q.items, v)
	q.mu.Unlock()
	q.cond.Signal()
}

// Get removes the oldest item, waiting for one; ok is always true.
func (q *Queue) Get() (v int, ok bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.cond.Wait()
	}
	v, q.items = q.items[0], q.items[1:]
	return v, true
}
