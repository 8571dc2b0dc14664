package scenarios

import (
	"context"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
)

// Kills queue-get-if-wait: a consumer woken while the queue is still empty
// must go back to waiting, not return.
func TestQueueGetSurvivesASpuriousWakeup(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q := NewQueue[int](1)
		got := make(chan int, 1)
		go func() {
			v, _ := q.Get()
			got <- v
		}()
		synctest.Wait() // the consumer waits on the empty queue
		q.mu.Lock()
		q.notEmpty.Broadcast() // a wakeup that changes nothing
		q.mu.Unlock()
		synctest.Wait()
		select {
		case v := <-got:
			t.Fatalf("Get returned %d from an empty, open queue", v)
		default:
		}
		assert.NoError(t, q.Put(t.Context(), 7))
		assert.Equal(t, 7, <-got)
		q.Close()
	})
}

// Kills queue-put-if-wait: a producer woken while the queue is still full
// must go back to waiting, not overwrite the oldest item.
func TestQueuePutSurvivesASpuriousWakeup(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q := NewQueue[int](1)
		assert.NoError(t, q.Put(t.Context(), 1))
		put := make(chan error, 1)
		go func() { put <- q.Put(context.Background(), 2) }()
		synctest.Wait() // the producer waits on the full queue
		q.mu.Lock()
		q.notFull.Broadcast()
		q.mu.Unlock()
		synctest.Wait()
		select {
		case err := <-put:
			t.Fatalf("Put on a full queue returned %v after a spurious wakeup, want it to wait", err)
		default:
		}
		v, _ := q.Get()
		assert.Equal(t, 1, v, "the item put first is still there")
		assert.NoError(t, <-put)
		v, _ = q.Get()
		assert.Equal(t, 2, v)
		q.Close()
	})
}
