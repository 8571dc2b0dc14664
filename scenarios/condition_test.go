package scenarios_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/scenarios"
)

func TestConditionConsumesEveryItemOnce(t *testing.T) {
	s, err := scenarios.Lookup("condition")
	require.NoError(t, err)
	for _, items := range itemSweep {
		for _, workers := range workerSweep(items) {
			for _, capacity := range []int{1, 4} {
				cfg := scenarios.Config{Workers: workers, Items: items, Limit: capacity}
				t.Run(fmt.Sprintf("condition/workers=%d/items=%d/capacity=%d", workers, items, capacity), func(t *testing.T) {
					synctest.Test(t, func(t *testing.T) {
						res, err := s.Run(t.Context(), cfg)
						require.NoError(t, err)
						counts, ok := res.Data.([]int32)
						require.True(t, ok, "Data is the per-item consumption count")
						require.Len(t, counts, items)
						for i, c := range counts {
							assert.Equal(t, int32(1), c, "item %d consumed exactly once", i)
						}
						assert.Equal(t, items, res.Items, "no item lost")
						assert.NoError(t, s.Check(cfg, res))
					})
				})
			}
		}
	}
}

func TestConditionSerialPassesTheSameCheck(t *testing.T) {
	s, err := scenarios.Lookup("condition")
	require.NoError(t, err)
	for _, items := range itemSweep {
		cfg := scenarios.Config{Items: items, Limit: 1}
		res, err := s.Serial(t.Context(), cfg)
		require.NoError(t, err)
		assert.NoError(t, s.Check(cfg, res), "items=%d", items)
	}
}

// Inside a bubble, a run that could block forever would make synctest.Test
// fail with "deadlock: all goroutines in bubble are blocked": completing
// here proves that the consumers all return once the queue is closed.
func TestConditionCompletesInABubble(t *testing.T) {
	s, err := scenarios.Lookup("condition")
	require.NoError(t, err)
	for _, workers := range []int{1, 2, 8} {
		for _, items := range []int{0, 1, 5, 100} {
			cfg := scenarios.Config{Workers: workers, Items: items, Limit: 2}
			t.Run(fmt.Sprintf("condition/workers=%d/items=%d", workers, items), func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					res, err := s.Run(t.Context(), cfg)
					require.NoError(t, err)
					assert.NoError(t, s.Check(cfg, res))
				})
			})
		}
	}
}

func TestCheckConditionRejectsLostAndDuplicateItems(t *testing.T) {
	s, err := scenarios.Lookup("condition")
	require.NoError(t, err)
	cfg := scenarios.Config{Items: 3, Limit: 1}
	assert.EqualError(t, s.Check(cfg, scenarios.Result{Items: 3, Data: []int32{1, 2, 0}}), "item 1 consumed 2 times, want exactly once")
	assert.EqualError(t, s.Check(cfg, scenarios.Result{Items: 2, Data: []int32{1, 1, 0}}), "item 2 consumed 0 times, want exactly once")
}

func TestConditionNeedsACapacity(t *testing.T) {
	s, err := scenarios.Lookup("condition")
	require.NoError(t, err)
	_, err = s.Run(t.Context(), scenarios.Config{Items: 3})
	assert.EqualError(t, err, "limit 0: must be between 1 and 10000 for this scenario")
	assert.Panics(t, func() { scenarios.NewQueue[int](0) })
}

func TestQueueIsFIFO(t *testing.T) {
	q := scenarios.NewQueue[string](3)
	for _, v := range []string{"a", "b", "c"} {
		require.NoError(t, q.Put(t.Context(), v))
	}
	assert.Equal(t, 3, q.Len())
	for _, want := range []string{"a", "b"} {
		v, ok := q.Get()
		assert.True(t, ok)
		assert.Equal(t, want, v, "first in, first out")
	}
	require.NoError(t, q.Put(t.Context(), "d"), "the ring wraps around")
	q.Close()
	assert.ErrorIs(t, q.Put(t.Context(), "e"), scenarios.ErrQueueClosed)
	for _, want := range []string{"c", "d"} {
		v, ok := q.Get()
		assert.True(t, ok, "a closed queue is drained first")
		assert.Equal(t, want, v)
	}
	v, ok := q.Get()
	assert.False(t, ok, "closed and drained")
	assert.Equal(t, "", v)
	q.Close() // closing twice does nothing
}

// Under contention, a consumer sees each producer's items in the order
// they were put: a FIFO queue cannot hand one consumer a producer's later
// item and then an earlier one.
func TestQueueKeepsEachProducersOrder(t *testing.T) {
	type item struct{ producer, seq int }
	for _, workers := range []int{1, 2, 4, 16} {
		t.Run(fmt.Sprintf("queue/producers=%d/consumers=%d", workers, workers), func(t *testing.T) {
			const perProducer = 500
			q := scenarios.NewQueue[item](3)
			var producers, consumers sync.WaitGroup
			disorders := make([]int, workers)
			got := make([]int, workers)
			for c := range workers {
				consumers.Go(func() {
					last := make([]int, workers)
					for i := range last {
						last[i] = -1
					}
					for v, ok := q.Get(); ok; v, ok = q.Get() {
						if v.seq <= last[v.producer] {
							disorders[c]++
						}
						last[v.producer] = v.seq
						got[c]++
					}
				})
			}
			for p := range workers {
				producers.Go(func() {
					for seq := range perProducer {
						if err := q.Put(t.Context(), item{p, seq}); err != nil {
							return
						}
					}
				})
			}
			producers.Wait()
			q.Close()
			consumers.Wait()
			total, disordered := 0, 0
			for c := range workers {
				total += got[c]
				disordered += disorders[c]
			}
			assert.Equal(t, workers*perProducer, total, "every item got once")
			assert.Zero(t, disordered, "each consumer saw each producer's items in put order")
		})
	}
}

func TestQueuePutWaitsWhileFull(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q := scenarios.NewQueue[int](1)
		require.NoError(t, q.Put(t.Context(), 1))
		put := make(chan error, 1)
		go func() { put <- q.Put(t.Context(), 2) }()
		synctest.Wait()
		select {
		case err := <-put:
			t.Fatalf("Put on a full queue returned %v, want it to wait", err)
		default:
		}
		v, ok := q.Get()
		assert.Equal(t, 1, v)
		assert.True(t, ok)
		assert.NoError(t, <-put, "a Get makes room for the waiting Put")
		v, _ = q.Get()
		assert.Equal(t, 2, v)
	})
}

func TestQueuePutGivesUpOnCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q := scenarios.NewQueue[int](1)
		require.NoError(t, q.Put(t.Context(), 1))
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		start := time.Now()
		assert.ErrorIs(t, q.Put(ctx, 2), context.DeadlineExceeded)
		assert.Equal(t, time.Second, time.Since(start), "Put waits until its context is done")
		assert.Equal(t, 1, q.Len(), "a cancelled Put adds nothing")
		v, _ := q.Get()
		assert.Equal(t, 1, v)
		assert.NoError(t, q.Put(ctx, 3), "a Put that finds room succeeds, whatever its context says")
	})
}

// TestQueuePutCancelWakesItsOwnProducer: a cancelled Put returns even when
// another producer waits on the same full queue before it. sync.Cond wakes
// its waiters in order, so a Signal on cancel would wake the other producer,
// which waits again, and leave the cancelled one asleep: a deadlock the
// bubble reports.
func TestQueuePutCancelWakesItsOwnProducer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q := scenarios.NewQueue[int](1)
		require.NoError(t, q.Put(t.Context(), 1))
		patient := make(chan error, 1)
		go func() { patient <- q.Put(t.Context(), 2) }()
		synctest.Wait() // the patient producer waits first
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		assert.ErrorIs(t, q.Put(ctx, 3), context.DeadlineExceeded, "the cancelled Put returns")
		v, ok := q.Get()
		assert.True(t, ok)
		assert.Equal(t, 1, v)
		assert.NoError(t, <-patient, "the patient Put takes the freed slot")
	})
}

func TestQueueCloseWakesEveryWaiter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q := scenarios.NewQueue[int](1)
		var wg sync.WaitGroup
		got := make(chan bool, 4)
		for range 4 {
			wg.Go(func() {
				_, ok := q.Get()
				got <- ok
			})
		}
		synctest.Wait() // every consumer waits on the empty queue
		q.Close()
		wg.Wait()
		close(got)
		for ok := range got {
			assert.False(t, ok, "a waiting Get returns false on Close")
		}

		full := scenarios.NewQueue[int](1)
		require.NoError(t, full.Put(t.Context(), 1))
		put := make(chan error, 1)
		go func() { put <- full.Put(t.Context(), 2) }()
		synctest.Wait()
		full.Close()
		assert.ErrorIs(t, <-put, scenarios.ErrQueueClosed, "a waiting Put fails on Close")
	})
}

// A bounded queue on sync.Cond between a producer and a consumer: the
// consumer's loop ends when the queue is closed and drained.
func ExampleQueue() {
	q := scenarios.NewQueue[string](2)
	var wg sync.WaitGroup
	wg.Go(func() {
		for v, ok := q.Get(); ok; v, ok = q.Get() {
			fmt.Println("got", v)
		}
	})
	for _, v := range []string{"a", "b", "c"} {
		if err := q.Put(context.Background(), v); err != nil {
			panic(err)
		}
	}
	q.Close()
	wg.Wait()
	// Output:
	// got a
	// got b
	// got c
}

// Kills queue-len-nolock: Len reads the count while producers and consumers
// change it. Under -race an unlocked read is reported whatever the timing,
// since nothing orders it after the writes.
func TestQueueLenDuringPutAndGet(t *testing.T) {
	const capacity, items = 2, 50
	q := scenarios.NewQueue[int](capacity)
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range items {
			if q.Put(t.Context(), i) != nil {
				return
			}
		}
		q.Close()
	})
	got := 0
	wg.Go(func() {
		for _, ok := q.Get(); ok; _, ok = q.Get() {
			got++
		}
	})
	for range items {
		n := q.Len()
		assert.True(t, 0 <= n && n <= capacity, "Len %d outside [0, %d]", n, capacity)
	}
	wg.Wait()
	assert.Equal(t, items, got)
}

// Kills queue-close-signal-notfull: Close must wake every producer waiting
// on a full queue, not one of them. With two waiting, a Signal leaves one
// asleep forever, which the bubble reports as a deadlock.
func TestQueueCloseWakesEveryWaitingProducer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q := scenarios.NewQueue[int](1)
		require.NoError(t, q.Put(t.Context(), 0))
		const producers = 3
		errs := make(chan error, producers)
		var wg sync.WaitGroup
		for i := range producers {
			wg.Go(func() { errs <- q.Put(context.Background(), i+1) })
		}
		synctest.Wait() // every producer waits on the full queue
		q.Close()
		wg.Wait()
		close(errs)
		for err := range errs {
			assert.ErrorIs(t, err, scenarios.ErrQueueClosed)
		}
		v, ok := q.Get()
		assert.Equal(t, 0, v)
		assert.True(t, ok, "Close keeps the items already put")
	})
}
