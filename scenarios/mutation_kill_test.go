package scenarios_test

// Tests written to catch the mutations of internal/mutate that the rest of
// the suite let survive (see docs/mutation.md): each names the mutation it
// kills, and each makes the bug's effect certain rather than likely.

import (
	"bytes"
	"context"
	"fmt"
	"runtime/pprof"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/scenarios"
)

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

// Kills executor-shutdown-no-wait: when Shutdown returns, no worker
// goroutine is left in the executor's code. The workers are told apart from
// any other goroutine by a profiler label they inherit from the test.
// Without the Wait, Shutdown returns while the workers it woke are still
// on their way out; one round may miss that, fifty do not.
func TestShutdownLeavesNoWorkerRunning(t *testing.T) {
	const rounds, workers = 50, 4
	for round := range rounds {
		label := fmt.Sprintf("shutdown-round-%d", round)
		pprof.Do(t.Context(), pprof.Labels("conclab-test", label), func(ctx context.Context) {
			e := scenarios.NewTaskExecutor(workers)
			for i := range workers {
				scenarios.Submit(ctx, e, func(context.Context) (int, error) { return i, nil })
			}
			require.NoError(t, e.Shutdown(ctx))
		})
		if n := goroutinesIn(t, "conclab-test", label, "scenarios.(*TaskExecutor).work"); n > 0 {
			t.Fatalf("round %d: %d worker goroutines still in (*TaskExecutor).work after Shutdown returned", round, n)
		}
	}
}

// goroutinesIn counts the goroutines labelled key=value whose stack holds
// a frame of the function fn.
func goroutinesIn(t *testing.T, key, value, fn string) int {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, pprof.Lookup("goroutine").WriteTo(&buf, 1))
	want := fmt.Sprintf("%q:%q", key, value)
	n := 0
	for block := range strings.SplitSeq(buf.String(), "\n\n") {
		if !strings.Contains(block, "# labels: ") || !strings.Contains(block, want) || !strings.Contains(block, fn+"+") {
			continue
		}
		var count int
		if _, err := fmt.Sscanf(block, "%d @", &count); err == nil {
			n += count
		}
	}
	return n
}

// cancellingCounter cancels its context on the first Inc and counts the
// Incs.
type cancellingCounter struct {
	cancel context.CancelFunc
	incs   atomic.Int64
}

func (c *cancellingCounter) Inc(int) {
	if c.incs.Add(1) == 1 {
		c.cancel()
	}
}

func (c *cancellingCounter) Load() int64 { return c.incs.Load() }

// Kills count-no-ctx-check: a worker polls its context every 4096
// increments, so one cancelled at its first increment stops at the next
// poll instead of doing all its Items.
func TestCountStopsAtTheNextPoll(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	c := &cancellingCounter{cancel: cancel}
	_, err := scenarios.Count(ctx, c, scenarios.Config{Workers: 1, Items: 100_000})
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, int64(4096), c.incs.Load(), "increments done before the first poll after the cancellation")
}

// Kills pipeline-no-cancel-first: once ctx is done, no stage starts, even
// though items are waiting. A worker's select between a ready item and the
// done context picks at random, so without the check after it, about every
// other round starts one stage too many; twenty rounds leave no chance.
func TestPipelineStartsNoStageAfterCancel(t *testing.T) {
	for range 20 {
		ctx, cancel := context.WithCancel(t.Context())
		var staged atomic.Int32
		err := scenarios.Pipeline(ctx, 100, 1,
			func(ctx context.Context, i int) (int, error) {
				staged.Add(1)
				cancel() // the items channel is full: the worker will have an item ready
				return i, nil
			},
			func(int, int) error { return nil })
		cancel()
		assert.ErrorIs(t, err, context.Canceled)
		if !assert.Equal(t, int32(1), staged.Load(), "stages run: the one that cancelled, no other") {
			return
		}
	}
}

// Kills procpool-ignore-exit: a worker that exits with a failure status is
// reported by Close. This one exits with status 1 at once, refusing an
// unknown fault, before it is ever called.
func TestProcessPoolCloseReportsAFailedWorker(t *testing.T) {
	pool, err := scenarios.StartSubprocessPoolWithFault(t.Context(), 2, "no-such-fault")
	require.NoError(t, err)
	err = pool.Close()
	require.Error(t, err, "Close must report the workers that failed")
	assert.Contains(t, err.Error(), "exit status 1")
}

// Kills leak-unbuffered: replicas that answer at the same instant must not
// block each other. With no latency every replica answers at once, and the
// losers' sends need the channel's slots: on an unbuffered channel they
// block forever, which the bubble reports as a deadlock.
func TestLeakSimultaneousAnswersDoNotBlock(t *testing.T) {
	s, err := scenarios.Lookup("leak")
	require.NoError(t, err)
	for range 20 {
		synctest.Test(t, func(t *testing.T) {
			cfg := scenarios.Config{Workers: 16, Items: 3}
			res, err := s.Run(t.Context(), cfg)
			require.NoError(t, err)
			assert.Equal(t, int64(9), res.Total)
		})
	}
}

// Kills executor-map-no-recover: a call of MapTasks that panics fails the
// map with a *PanicError, as a submitted task's panic fails its Future,
// instead of crashing the program.
func TestMapTasksPanicBecomesAnError(t *testing.T) {
	e := scenarios.NewTaskExecutor(2)
	defer func() { require.NoError(t, e.Shutdown(t.Context())) }()
	_, err := scenarios.MapTasks(t.Context(), e, []int{0, 1, 2}, func(_ context.Context, i int) (int, error) {
		if i == 1 {
			panic("kaboom in map")
		}
		return i, nil
	})
	var pe *scenarios.PanicError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "kaboom in map", pe.Value)
	assert.Contains(t, err.Error(), "map item 1")
}
