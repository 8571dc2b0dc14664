package correctness

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/anishathalye/porcupine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/scenarios"
)

// The condition scenario's bounded queue, checked for linearizability
// against a sequential bounded FIFO queue.

type queueOp int

const (
	putOp queueOp = iota + 1
	getOp
	closeOp
)

type queueInput struct {
	op queueOp
	v  int // the value put
}

type queueOutput struct {
	v      int  // the value got
	ok     bool // Get found an item; Put appended its value
	closed bool // Put failed with ErrQueueClosed
}

// queueState is the model's state. Step never changes a state it is given:
// it returns a new one.
type queueState struct {
	items  []int
	closed bool
}

// fifoModel is the sequential specification of a bounded FIFO queue of
// capacity items: Put appends if there is room (a Put cannot complete on a
// full, open queue) and fails once the queue is closed; Get returns the
// oldest item, or reports false once the queue is closed and empty (a Get
// cannot complete on an empty, open queue); Close closes.
func fifoModel(capacity int) porcupine.Model {
	return porcupine.Model{
		Init: func() any { return queueState{} },
		Step: func(state, input, output any) (bool, any) {
			s := state.(queueState)
			in := input.(queueInput)
			out, _ := output.(queueOutput)
			switch in.op {
			case putOp:
				if s.closed {
					return out.closed && !out.ok, s
				}
				if len(s.items) == capacity || !out.ok {
					return false, s
				}
				return true, queueState{items: append(slices.Clip(s.items), in.v), closed: s.closed}
			case getOp:
				if len(s.items) == 0 {
					return s.closed && !out.ok, s
				}
				if !out.ok || out.v != s.items[0] {
					return false, s
				}
				return true, queueState{items: s.items[1:], closed: s.closed}
			case closeOp:
				return true, queueState{items: s.items, closed: true}
			}
			return false, s
		},
		Equal: func(a, b any) bool {
			x, y := a.(queueState), b.(queueState)
			return x.closed == y.closed && slices.Equal(x.items, y.items)
		},
		DescribeOperation: func(input, output any) string {
			in, out := input.(queueInput), output.(queueOutput)
			switch in.op {
			case putOp:
				return fmt.Sprintf("Put(%d) -> ok=%v closed=%v", in.v, out.ok, out.closed)
			case getOp:
				return fmt.Sprintf("Get() -> %d, %v", out.v, out.ok)
			}
			return "Close()"
		},
		DescribeState: func(state any) string { return fmt.Sprint(state.(queueState)) },
	}
}

// queue is what the history records operations on: scenarios.Queue, or a
// broken queue for the negative controls.
type queue interface {
	Put(ctx context.Context, v int) error
	Get() (int, bool)
	Close()
}

func recordPut(ctx context.Context, h *history, log *clientLog, q queue, v int) queueOutput {
	return h.record(log, queueInput{op: putOp, v: v}, func() any {
		err := q.Put(ctx, v)
		return queueOutput{ok: err == nil, closed: errors.Is(err, scenarios.ErrQueueClosed)}
	}).(queueOutput)
}

func recordGet(h *history, log *clientLog, q queue) queueOutput {
	return h.record(log, queueInput{op: getOp}, func() any {
		v, ok := q.Get()
		return queueOutput{v: v, ok: ok}
	}).(queueOutput)
}

func recordClose(h *history, log *clientLog, q queue) {
	h.record(log, queueInput{op: closeOp}, func() any { q.Close(); return queueOutput{} })
}

// TestQueueLinearizable records producers putting distinct values into a
// scenarios.Queue, consumers getting until the queue is closed and drained,
// the Close after the producers are done and one Put after it, and checks
// the history against the bounded FIFO model: every item comes out once,
// in an order some interleaving of the calls explains, the capacity is
// never exceeded, and a closed queue refuses Puts.
func TestQueueLinearizable(t *testing.T) {
	for _, tc := range []struct{ producers, consumers, capacity, perProducer int }{
		{1, 1, 1, 40},
		{2, 2, 1, 25},
		{3, 3, 2, 20},
		{4, 2, 3, 15},
	} {
		t.Run(fmt.Sprintf("condition/producers=%d/consumers=%d/capacity=%d/items=%d",
			tc.producers, tc.consumers, tc.capacity, tc.producers*tc.perProducer), func(t *testing.T) {
			q := scenarios.NewQueue[int](tc.capacity)
			var h history
			var logs []*clientLog
			newLog := func() *clientLog {
				l := &clientLog{id: len(logs)}
				logs = append(logs, l)
				return l
			}
			start := make(chan struct{})
			var producers, consumers sync.WaitGroup
			for p := range tc.producers {
				log := newLog()
				producers.Go(func() {
					<-start
					for i := range tc.perProducer {
						recordPut(t.Context(), &h, log, q, p*tc.perProducer+i)
					}
				})
			}
			for range tc.consumers {
				log := newLog()
				consumers.Go(func() {
					<-start
					for recordGet(&h, log, q).ok {
					}
				})
			}
			close(start)
			producers.Wait()
			closer := newLog()
			recordClose(&h, closer, q)
			consumers.Wait()
			late := recordPut(t.Context(), &h, closer, q, -1)
			require.True(t, late.closed, "a Put after Close fails with ErrQueueClosed")

			hist := merge(logs)
			assertLinearizable(t, fifoModel(tc.capacity), hist)
			got := 0
			for _, op := range hist {
				if op.Input.(queueInput).op == getOp && op.Output.(queueOutput).ok {
					got++
				}
			}
			assert.Equal(t, tc.producers*tc.perProducer, got, "every item put is got once")
		})
	}
}

// lifoQueue hands items back newest first: a queue with its order broken.
type lifoQueue struct {
	mu     sync.Mutex
	items  []int
	closed bool
}

func (q *lifoQueue) Put(_ context.Context, v int) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return scenarios.ErrQueueClosed
	}
	q.items = append(q.items, v)
	return nil
}

func (q *lifoQueue) Get() (int, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) == 0 {
		return 0, false
	}
	v := q.items[len(q.items)-1]
	q.items = q.items[:len(q.items)-1]
	return v, true
}

func (q *lifoQueue) Close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
}

// TestFIFOModelRejects is the queue checker's negative control: histories
// recorded from a queue that reorders, and from one that holds more than its
// capacity, are not linearizable. A checker that accepted them would make
// TestQueueLinearizable prove nothing.
func TestFIFOModelRejects(t *testing.T) {
	t.Run("reordered", func(t *testing.T) {
		var h history
		log := &clientLog{}
		q := new(lifoQueue)
		recordPut(t.Context(), &h, log, q, 1)
		recordPut(t.Context(), &h, log, q, 2)
		got := recordGet(&h, log, q)
		require.Equal(t, queueOutput{v: 2, ok: true}, got, "precondition: the broken queue hands back the newest item")
		assert.Equal(t, porcupine.Illegal, porcupine.CheckOperationsTimeout(fifoModel(2), log.ops, checkTimeout),
			"Put(1), Put(2), Get() -> 2 is not FIFO")
	})
	t.Run("over-capacity", func(t *testing.T) {
		var h history
		log := &clientLog{}
		q := new(lifoQueue) // unbounded
		for v := range 3 {
			recordPut(t.Context(), &h, log, q, v)
		}
		assert.Equal(t, porcupine.Illegal, porcupine.CheckOperationsTimeout(fifoModel(2), log.ops, checkTimeout),
			"three Puts with no Get do not fit a queue of capacity 2")
	})
	t.Run("get-after-close-lost-items", func(t *testing.T) {
		var h history
		log := &clientLog{}
		q := new(lifoQueue)
		recordPut(t.Context(), &h, log, q, 1)
		recordClose(&h, log, q)
		log.ops = append(log.ops, porcupine.Operation{ // a Get that drops the item left in a closed queue
			Input: queueInput{op: getOp}, Call: h.now(), Output: queueOutput{}, Return: h.now(),
		})
		assert.Equal(t, porcupine.Illegal, porcupine.CheckOperationsTimeout(fifoModel(2), log.ops, checkTimeout),
			"a closed queue still hands out the items left in it")
	})
}
