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
