package scenarios_test

import (
	"context"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/scenarios"
)

func TestSemaphoreTimingIsExact(t *testing.T) {
	const d = 100 * time.Millisecond
	for _, name := range []string{"semaphore", "semaphore-weighted"} {
		s, err := scenarios.Lookup(name)
		require.NoError(t, err)
		for _, permits := range []int{1, 2, 3, 8} {
			for _, tasks := range []int{0, 1, 5, 12, 100} {
				cfg := scenarios.Config{Items: tasks, Limit: permits, Latency: d}
				t.Run(fmt.Sprintf("%s/permits=%d/tasks=%d", name, permits, tasks), func(t *testing.T) {
					synctest.Test(t, func(t *testing.T) {
						start := time.Now()
						res, err := s.Run(t.Context(), cfg)
						require.NoError(t, err)
						rounds := (tasks + permits - 1) / permits
						assert.Equal(t, time.Duration(rounds)*d, time.Since(start), "ceil(tasks/permits) rounds of d")
						assert.Equal(t, min(permits, tasks), res.MaxConcurrent, "every permit in use, never one more")
						assert.Equal(t, tasks, res.Items, "every task done")
						assert.NoError(t, s.Check(cfg, res))
					})
				})
			}
		}
	}
}

// handOver is a one-permit Limiter whose Release returns only once the
// permit's next holder is inside, waiting out its latency: the schedule in
// which a holder that counts itself out after releasing is still counted
// when the next one comes in.
type handOver struct{ scenarios.ChanSemaphore }

func (h handOver) Release() {
	h.ChanSemaphore.Release()
	synctest.Wait()
}

// The gauge must count a holder out before its permit goes back; otherwise
// the peak shows one holder more than there are permits. Only one holder
// at a time releases (one permit), so synctest.Wait is never called twice
// at once.
func TestUseLimitedLeavesTheGaugeBeforeReleasing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sem := handOver{scenarios.NewChanSemaphore(1)}
		done, peak, err := scenarios.UseLimited(t.Context(), sem, scenarios.Config{Items: 3, Limit: 1, Latency: time.Second})
		require.NoError(t, err)
		assert.Equal(t, 3, done)
		assert.Equal(t, 1, peak, "one permit, one holder at a time")
	})
}

func TestSemaphoreSerialTakesEveryWaitInTurn(t *testing.T) {
	s, err := scenarios.Lookup("semaphore")
	require.NoError(t, err)
	synctest.Test(t, func(t *testing.T) {
		cfg := scenarios.Config{Items: 7, Limit: 3, Latency: time.Second}
		start := time.Now()
		res, err := s.Serial(t.Context(), cfg)
		require.NoError(t, err)
		assert.Equal(t, 7*time.Second, time.Since(start))
		assert.NoError(t, s.Check(cfg, res))
	})
}

func TestSemaphoreUnboundedIsCaught(t *testing.T) {
	v, s, err := scenarios.LookupVariant("semaphore-unbounded")
	require.NoError(t, err)
	require.Equal(t, scenarios.Invariant, v.Fault)
	synctest.Test(t, func(t *testing.T) {
		cfg := scenarios.Config{Items: 6, Limit: 2, Latency: time.Second}
		res, err := v.Run(t.Context(), cfg)
		require.NoError(t, err)
		assert.Equal(t, 6, res.MaxConcurrent, "every task holds the resource at once")
		assert.EqualError(t, s.Check(cfg, res), "6 tasks held the resource at once, want at most 2 (the permits)")
	})
}

func TestCheckSemaphoreRejectsLostTasks(t *testing.T) {
	s, err := scenarios.Lookup("semaphore")
	require.NoError(t, err)
	cfg := scenarios.Config{Items: 5, Limit: 2}
	assert.EqualError(t, s.Check(cfg, scenarios.Result{Items: 4, MaxConcurrent: 2}), "4 tasks completed, want all 5")
}

func TestSemaphoreNeedsPermits(t *testing.T) {
	for _, name := range []string{"semaphore", "semaphore-weighted"} {
		s, err := scenarios.Lookup(name)
		require.NoError(t, err)
		_, err = s.Run(t.Context(), scenarios.Config{Items: 3})
		assert.EqualError(t, err, "limit 0: must be between 1 and 10000 for this scenario", name)
	}
}

func TestSemaphoreStopsOnCancel(t *testing.T) {
	for _, name := range []string{"semaphore", "semaphore-weighted"} {
		s, err := scenarios.Lookup(name)
		require.NoError(t, err)
		t.Run(name+"/cancelled-midway", func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ctx, cancel := context.WithTimeout(t.Context(), 150*time.Millisecond)
				defer cancel()
				start := time.Now()
				_, err := s.Run(ctx, scenarios.Config{Items: 10, Limit: 2, Latency: 100 * time.Millisecond})
				assert.ErrorIs(t, err, context.DeadlineExceeded)
				assert.Equal(t, 150*time.Millisecond, time.Since(start), "holders and waiters stop at the deadline")
			})
		})
	}
}

// A buffered channel is a counting semaphore: ten tasks share three
// permits, and no more than three ever hold one at once.
func ExampleChanSemaphore() {
	sem := scenarios.NewChanSemaphore(3)
	done, peak, err := scenarios.UseLimited(context.Background(), sem, scenarios.Config{Items: 10, Latency: time.Millisecond})
	fmt.Println(done, "tasks done, never more than 3 at once:", peak <= 3, err)
	// Output: 10 tasks done, never more than 3 at once: true <nil>
}
