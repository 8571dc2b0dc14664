// Package podqueue is a hunt corpus kernel: a struct field read outside the
// lock that guards it.
//
// It has the shape of kubernetes#81148 (the scheduler's unschedulable pods
// map, whose timestamps were touched outside the queue's lock): Add refreshes a
// pod's timestamp under q.mu, but Age looks the pod up under q.mu and reads the
// timestamp after releasing it.
package podqueue

import (
	"sync"
	"time"
)

// PodInfo is a queued pod and the time it was last tried.
type PodInfo struct {
	Name      string
	Timestamp time.Time
}

// Queue holds pods that could not be scheduled.
type Queue struct {
	mu   sync.Mutex
	pods map[string]*PodInfo
}

// New returns an empty queue.
func New() *Queue { return &Queue{pods: map[string]*PodInfo{}} }

// Add queues a pod, or refreshes its timestamp if it is queued already.
func (q *Queue) Add(name string, now time.Time) {
	q.mu.Lock()
	defer q.mu.Unlock()
	p, ok := q.pods[name]
	if !ok {
		p = &PodInfo{Name: name}
		q.pods[name] = p
	}
	p.Timestamp = now
}

// Age returns how long ago the pod was last tried, or 0 if it is not queued.
func (q *Queue) Age(name string, now time.Time) time.Duration {
	q.mu.Lock()
	p, ok := q.pods[name]
	q.mu.Unlock()
	if !ok {
		return 0
	}
	return now.Sub(p.Timestamp) // bug: read outside q.mu, which guards it
}

// Flush removes and returns the pods tried before cutoff.
func (q *Queue) Flush(cutoff time.Time) []string {
	q.mu.Lock()
	defer q.mu.Unlock()
	var out []string
	for name, p := range q.pods {
		if p.Timestamp.Before(cutoff) {
			out = append(out, name)
			delete(q.pods, name)
		}
	}
	return out
}
