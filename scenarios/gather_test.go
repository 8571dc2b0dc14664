package scenarios_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/scenarios"
)

// sleepers returns n tasks: task i waits latency and returns i.
func sleepers(n int, latency time.Duration) []func(context.Context) (int, error) {
	tasks := make([]func(context.Context) (int, error), n)
	for i := range tasks {
		tasks[i] = func(ctx context.Context) (int, error) {
			return i, scenarios.Sleep(ctx, latency)
		}
	}
	return tasks
}

func upTo(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

func TestGatherTakesOneWaitPerRound(t *testing.T) {
	const latency = 2 * time.Second
	for _, tc := range []struct {
		items, limit int
		rounds       int // ceil(items/limit), or 1 without a limit
	}{
		{items: 0, limit: 0, rounds: 0},
		{items: 1, limit: 0, rounds: 1},
		{items: 3, limit: 0, rounds: 1},
		{items: 1000, limit: 0, rounds: 1},
		{items: 10, limit: 3, rounds: 4},
		{items: 9, limit: 3, rounds: 3},
		{items: 3, limit: 5, rounds: 1},
		{items: 5, limit: 1, rounds: 5},
	} {
		t.Run(fmt.Sprintf("gather/items=%d/limit=%d", tc.items, tc.limit), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				start := time.Now()
				got, err := scenarios.Gather(t.Context(), tc.limit, sleepers(tc.items, latency))
				require.NoError(t, err)
				assert.Equal(t, time.Duration(tc.rounds)*latency, time.Since(start), "ceil(items/limit) waits")
				assert.Equal(t, upTo(tc.items), got, "results in input order")
			})
		})
	}
}

func TestGatherScenariosInVirtualTime(t *testing.T) {
	const latency = 2 * time.Second
	for _, tc := range []struct {
		name         string
		serial       bool
		items, limit int
		wantTime     time.Duration
		wantPeak     int
	}{
		{"gather", false, 3, 0, latency, 3},
		{"gather", false, 100, 0, latency, 100},
		{"gather", true, 3, 0, 3 * latency, 1},
		{"gather-limit", false, 10, 3, 4 * latency, 3},
		{"gather-limit", false, 2, 3, latency, 2},
		{"gather-limit", false, 7, 7, latency, 7},
		{"gather-limit", true, 4, 3, 4 * latency, 1},
	} {
		name := fmt.Sprintf("%s/items=%d/limit=%d", tc.name, tc.items, tc.limit)
		if tc.serial {
			name = fmt.Sprintf("%s/serial/items=%d", tc.name, tc.items)
		}
		t.Run(name, func(t *testing.T) {
			s, err := scenarios.Lookup(tc.name)
			require.NoError(t, err)
			run := s.Run
			if tc.serial {
				run = s.Serial
			}
			synctest.Test(t, func(t *testing.T) {
				cfg := s.Defaults
				cfg.Items, cfg.Limit, cfg.Latency = tc.items, tc.limit, latency
				start := time.Now()
				res, err := run(t.Context(), cfg)
				require.NoError(t, err)
				assert.Equal(t, tc.wantTime, time.Since(start))
				assert.Equal(t, tc.wantPeak, res.MaxConcurrent, "peak number of tasks running at once")
				assert.Equal(t, upTo(tc.items), res.Data, "results in input order")
				assert.NoError(t, s.Check(cfg, res))
			})
		})
	}
}

func TestGatherFirstErrorCancelsTheRest(t *testing.T) {
	for _, limit := range []int{0, 10} {
		t.Run(fmt.Sprintf("gather/limit=%d/task-1-fails-at-half-latency", limit), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				const n, latency = 5, 2 * time.Second
				errFailed := errors.New("task 1 failed")
				var cancelled atomic.Int32
				tasks := sleepers(n, latency)
				for i := range tasks {
					tasks[i] = func(ctx context.Context) (int, error) {
						if i == 1 {
							scenarios.Sleep(ctx, latency/2)
							return 0, errFailed
						}
						err := scenarios.Sleep(ctx, latency)
						if errors.Is(err, context.Canceled) {
							cancelled.Add(1)
						}
						return i, err
					}
				}
				start := time.Now()
				got, err := scenarios.Gather(t.Context(), limit, tasks)
				assert.Same(t, errFailed, err, "the task's own error, unwrapped")
				assert.Nil(t, got)
				assert.Equal(t, latency/2, time.Since(start), "returned as soon as the task fails")
				assert.Equal(t, int32(n-1), cancelled.Load(), "every other task saw its context cancelled")
			})
		})
	}
	t.Run("gather/limit=1/tasks-after-the-error-never-start", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			errFailed := errors.New("task 0 failed")
			var started atomic.Int32
			tasks := make([]func(context.Context) (int, error), 5)
			for i := range tasks {
				tasks[i] = func(ctx context.Context) (int, error) {
					started.Add(1)
					if i == 0 {
						return 0, errFailed
					}
					return i, scenarios.Sleep(ctx, time.Second)
				}
			}
			_, err := scenarios.Gather(t.Context(), 1, tasks)
			assert.ErrorIs(t, err, errFailed)
			assert.Equal(t, int32(1), started.Load(), "only the failing task ran")
		})
	})
}

func TestGatherStopsOnCancel(t *testing.T) {
	t.Run("gather/cancelled-before-start", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			var started atomic.Int32
			tasks := []func(context.Context) (int, error){func(context.Context) (int, error) {
				started.Add(1)
				return 0, nil
			}}
			start := time.Now()
			got, err := scenarios.Gather(ctx, 0, tasks)
			assert.ErrorIs(t, err, context.Canceled)
			assert.Nil(t, got)
			assert.Zero(t, time.Since(start))
			assert.Zero(t, started.Load(), "no task started")
		})
	})
	for _, tc := range []struct {
		name     string
		deadline time.Duration // latency is 2s
	}{
		{"gather", time.Second},           // halfway through the one round
		{"gather-limit", 3 * time.Second}, // halfway through the second round
	} {
		t.Run(tc.name+"/cancelled-midway", func(t *testing.T) {
			s, err := scenarios.Lookup(tc.name)
			require.NoError(t, err)
			synctest.Test(t, func(t *testing.T) {
				cfg := s.Defaults
				cfg.Items, cfg.Latency = 20, 2*time.Second
				ctx, cancel := context.WithTimeout(t.Context(), tc.deadline)
				defer cancel()
				start := time.Now()
				_, err := s.Run(ctx, cfg)
				assert.ErrorIs(t, err, context.DeadlineExceeded)
				assert.Equal(t, tc.deadline, time.Since(start), "every task stops at the deadline")
			})
		})
	}
	t.Run("gather-limit/cancelled-while-waiting-for-a-slot", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			// Task 0 ends at 1s, and the loop starting tasks resumes; the
			// deadline strikes while task 1 holds the only slot.
			ctx, cancel := context.WithTimeout(t.Context(), 1500*time.Millisecond)
			defer cancel()
			var started atomic.Int32
			tasks := make([]func(context.Context) (int, error), 4)
			for i := range tasks {
				tasks[i] = func(ctx context.Context) (int, error) {
					started.Add(1)
					return i, scenarios.Sleep(ctx, time.Second)
				}
			}
			_, err := scenarios.Gather(ctx, 1, tasks)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Equal(t, int32(2), started.Load(), "tasks 2 and 3 never start")
		})
	})
}

func TestCheckGatherRejects(t *testing.T) {
	s, err := scenarios.Lookup("gather-limit")
	require.NoError(t, err)
	cfg := scenarios.Config{Items: 4, Limit: 2}
	for _, tc := range []struct {
		name string
		res  scenarios.Result
		want string
	}{
		{"ok", scenarios.Result{Items: 4, Total: 6, MaxConcurrent: 2, Data: []int{0, 1, 2, 3}}, ""},
		{"out-of-order", scenarios.Result{Items: 4, Total: 6, MaxConcurrent: 2, Data: []int{0, 2, 1, 3}}, "result 1 is 2, want 1: results out of input order"},
		{"over-limit", scenarios.Result{Items: 4, Total: 6, MaxConcurrent: 3, Data: []int{0, 1, 2, 3}}, "3 tasks ran at once, want at most 2"},
		{"missing", scenarios.Result{Items: 3, Total: 3, MaxConcurrent: 2, Data: []int{0, 1, 2}}, "3 results (3 counted), want 4"},
	} {
		t.Run("gather-limit/check/"+tc.name, func(t *testing.T) {
			err := s.Check(cfg, tc.res)
			if tc.want == "" {
				assert.NoError(t, err)
				return
			}
			assert.EqualError(t, err, tc.want)
		})
	}
}

// The article's asyncio.gather: three tasks wait at once, and their results
// come back in the order the tasks were given, not the order they finished.
func ExampleGather() {
	task := func(id int, wait time.Duration) func(context.Context) (string, error) {
		return func(ctx context.Context) (string, error) {
			if err := scenarios.Sleep(ctx, wait); err != nil {
				return "", err
			}
			return fmt.Sprintf("data for task %d", id), nil
		}
	}
	results, err := scenarios.Gather(context.Background(), 0, []func(context.Context) (string, error){
		task(0, 30*time.Millisecond),
		task(1, 10*time.Millisecond),
		task(2, 20*time.Millisecond),
	})
	fmt.Println(err)
	for _, r := range results {
		fmt.Println(r)
	}
	// Output:
	// <nil>
	// data for task 0
	// data for task 1
	// data for task 2
}
