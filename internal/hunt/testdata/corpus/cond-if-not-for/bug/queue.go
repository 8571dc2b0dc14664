// Package queue is a hunt corpus kernel: Cond.Wait under if instead of for.
//
// Get waits once when the queue is empty and then assumes an item is there.
// Between Put's Signal and the woken Get reacquiring the lock, another consumer
// that was not waiting can take the item, and the woken Get finds the queue
// empty. The window is narrow: plain runs rarely hit it.
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

// Get removes the oldest item, waiting for one; ok is false if it woke to an
// empty queue.
func (q *Queue) Get() (v int, ok bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) == 0 { // bug: must be a for loop
		q.cond.Wait()
	}
	if len(q.items) == 0 {
		return 0, false
	}
	v, q.items = q.items[0], q.items[1:]
	return v, true
}
