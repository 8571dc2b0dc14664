package scenarios_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/scenarios"
)

func TestMapTasksKeepsInputOrder(t *testing.T) {
	for _, workers := range []int{1, 3, 8} {
		for _, items := range []int{0, 1, 3, 50} {
			t.Run(fmt.Sprintf("executor-map/workers=%d/items=%d", workers, items), func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					e := scenarios.NewTaskExecutor(workers)
					inputs := make([]int, items)
					for i := range inputs {
						inputs[i] = i
					}
					// Later inputs finish first, so completion order is
					// the reverse of input order whenever tasks overlap.
					got, err := scenarios.MapTasks(t.Context(), e, inputs, func(ctx context.Context, i int) (int, error) {
						if err := scenarios.Sleep(ctx, time.Duration(items-i)*time.Millisecond); err != nil {
							return 0, err
						}
						return i * i, nil
					})
					require.NoError(t, err)
					require.NoError(t, e.Shutdown(t.Context()))
					want := make([]int, items)
					for i := range want {
						want[i] = i * i
					}
					assert.Equal(t, want, got, "results in input order")
				})
			})
		}
	}
}

func TestShutdownWaitsForEverySubmittedTask(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const workers, tasks, d = 2, 5, time.Second
		e := scenarios.NewTaskExecutor(workers)
		var finished atomic.Int32
		futures := make([]*scenarios.Future[int], tasks)
		for i := range futures {
			futures[i] = scenarios.Submit(t.Context(), e, func(ctx context.Context) (int, error) {
				if err := scenarios.Sleep(ctx, d); err != nil {
					return 0, err
				}
				finished.Add(1)
				return i, nil
			})
		}
		start := time.Now()
		require.NoError(t, e.Shutdown(t.Context()))
		// 5 tasks of 1s on 2 workers: three rounds.
		assert.Equal(t, 3*d, time.Since(start), "Shutdown returns when the last task is done, not before, not after")
		assert.Equal(t, int32(tasks), finished.Load(), "every submitted task ran to the end")
		for i, f := range futures {
			select {
			case <-f.Done():
			default:
				t.Errorf("future %d not ready after Shutdown", i)
			}
			v, err := f.Get(t.Context())
			assert.NoError(t, err)
			assert.Equal(t, i, v)
		}
	})
}

// A Shutdown that gives up fails the queued tasks at once, without running
// them, and still waits for the running one, which it leaves to its own
// context: cancelling that is how a caller stops it.
func TestShutdownGivesUpOnItsDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := scenarios.NewTaskExecutor(1)
		taskCtx, stopTask := context.WithCancel(t.Context())
		running := scenarios.Submit(taskCtx, e, func(ctx context.Context) (int, error) {
			<-ctx.Done()
			return 0, ctx.Err()
		})
		var ran atomic.Bool
		queued := scenarios.Submit(t.Context(), e, func(ctx context.Context) (int, error) {
			ran.Store(true)
			return 1, nil
		})
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		start := time.Now()
		var shutdown error
		returned := make(chan struct{})
		go func() {
			defer close(returned)
			shutdown = e.Shutdown(ctx)
		}()

		time.Sleep(time.Second) // the bubble's fake time: to the deadline
		synctest.Wait()
		select {
		case <-queued.Done():
		default:
			t.Fatal("the queued task's Future is not done once Shutdown gave up")
		}
		_, err := queued.Get(t.Context())
		assert.ErrorIs(t, err, scenarios.ErrShutdown, "the queued task fails with ErrShutdown")
		assert.False(t, ran.Load(), "the queued task never runs")
		select {
		case <-returned:
			t.Fatal("Shutdown returned while a task was still running")
		default:
		}

		stopTask()
		<-returned
		assert.ErrorIs(t, shutdown, context.DeadlineExceeded)
		assert.Equal(t, time.Second, time.Since(start), "Shutdown returns once the running task does")
		_, err = running.Get(t.Context())
		assert.ErrorIs(t, err, context.Canceled, "the running task ends by its own context")
	})
}

// A Shutdown whose context is done already gives up at once, and still
// waits for its workers. They wake to it and look at the queue while it
// empties the queue: the race detector sees the two meet unless both hold
// the executor's lock.
func TestShutdownWithADoneContext(t *testing.T) {
	e := scenarios.NewTaskExecutor(2)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	assert.ErrorIs(t, e.Shutdown(ctx), context.Canceled)
	_, err := scenarios.Submit(t.Context(), e, func(context.Context) (int, error) { return 1, nil }).Get(t.Context())
	assert.ErrorIs(t, err, scenarios.ErrShutdown)
}

func TestSubmitAfterShutdownFails(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := scenarios.NewTaskExecutor(2)
		require.NoError(t, e.Shutdown(t.Context()))
		ran := false
		f := scenarios.Submit(t.Context(), e, func(context.Context) (int, error) { ran = true; return 1, nil })
		_, err := f.Get(t.Context())
		assert.ErrorIs(t, err, scenarios.ErrShutdown)
		assert.False(t, ran, "a task submitted after Shutdown never runs")
		assert.NoError(t, e.Shutdown(t.Context()), "Shutdown may be called again")

		_, err = scenarios.MapTasks(t.Context(), e, []string{"Alice"}, func(context.Context, string) (int, error) { return 0, nil })
		assert.ErrorIs(t, err, scenarios.ErrShutdown)
	})
}

func TestPanicBecomesAnErrorOnGet(t *testing.T) {
	e := scenarios.NewTaskExecutor(1)
	defer func() { require.NoError(t, e.Shutdown(t.Context())) }()
	boom := errors.New("boom")
	for _, tc := range []struct {
		name  string
		value any
	}{
		{"string", "kaboom"},
		{"error", boom},
	} {
		t.Run("panic="+tc.name, func(t *testing.T) {
			f := scenarios.Submit(t.Context(), e, func(context.Context) (int, error) { panic(tc.value) })
			_, err := f.Get(t.Context())
			var pe *scenarios.PanicError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tc.value, pe.Value)
			assert.Contains(t, string(pe.Stack), "TestPanicBecomesAnErrorOnGet", "the stack shows where the task panicked")
			assert.Contains(t, err.Error(), fmt.Sprint(tc.value))
			if e, ok := tc.value.(error); ok {
				assert.ErrorIs(t, err, e, "a panic with an error unwraps to it")
			}
		})
	}
	// The worker survived the panics.
	v, err := scenarios.Submit(t.Context(), e, func(context.Context) (int, error) { return 42, nil }).Get(t.Context())
	assert.NoError(t, err)
	assert.Equal(t, 42, v)
}

func TestGoexitInATaskKeepsThePool(t *testing.T) {
	e := scenarios.NewTaskExecutor(1)
	f := scenarios.Submit(t.Context(), e, func(context.Context) (int, error) { runtime.Goexit(); return 0, nil })
	_, err := f.Get(t.Context())
	assert.ErrorContains(t, err, "runtime.Goexit")
	v, err := scenarios.Submit(t.Context(), e, func(context.Context) (int, error) { return 7, nil }).Get(t.Context())
	assert.NoError(t, err)
	assert.Equal(t, 7, v, "a replacement worker runs the next task")
	assert.NoError(t, e.Shutdown(t.Context()))
}

func TestGetWithCancelledContext(t *testing.T) {
	e := scenarios.NewTaskExecutor(1)
	release := make(chan struct{})
	f := scenarios.Submit(t.Context(), e, func(context.Context) (string, error) {
		<-release
		return "done", nil
	})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	v, err := f.Get(ctx)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Empty(t, v)

	close(release)
	v, err = f.Get(t.Context())
	assert.NoError(t, err, "giving up on Get does not cancel the task")
	assert.Equal(t, "done", v)
	v, err = f.Get(ctx)
	assert.NoError(t, err, "a ready result is returned even with a done context")
	assert.Equal(t, "done", v)
	assert.NoError(t, e.Shutdown(t.Context()))
}

func TestSubmitWithCancelledContextSkipsTheTask(t *testing.T) {
	e := scenarios.NewTaskExecutor(1)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	ran := false
	_, err := scenarios.Submit(ctx, e, func(context.Context) (int, error) { ran = true; return 0, nil }).Get(t.Context())
	assert.ErrorIs(t, err, context.Canceled)
	assert.NoError(t, e.Shutdown(t.Context()))
	assert.False(t, ran)
}

func TestMapTasksStopsAtTheFirstErrorInInputOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := scenarios.NewTaskExecutor(4)
		bad := errors.New("bad item")
		var mu sync.Mutex
		var cancelled []int
		// Item 3 fails at once, item 1 fails later: the error reported is
		// item 1's, the first in input order. Item 5 would sleep an hour:
		// it is cancelled.
		_, err := scenarios.MapTasks(t.Context(), e, []int{0, 1, 2, 3, 4, 5}, func(ctx context.Context, i int) (int, error) {
			d := map[int]time.Duration{1: time.Second, 3: 0, 5: time.Hour}[i]
			if err := scenarios.Sleep(ctx, d); err != nil {
				mu.Lock()
				cancelled = append(cancelled, i)
				mu.Unlock()
				return 0, err
			}
			if i == 1 || i == 3 {
				return 0, fmt.Errorf("item %d: %w", i, bad)
			}
			return i, nil
		})
		assert.ErrorIs(t, err, bad)
		assert.EqualError(t, err, "executor: map item 1: item 1: bad item")
		assert.NoError(t, e.Shutdown(t.Context()))
		assert.Equal(t, []int{5}, cancelled, "the hour-long item is cancelled, not waited for")
	})
}

func TestMapTasksStopsOnCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := scenarios.NewTaskExecutor(2)
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		start := time.Now()
		_, err := scenarios.MapTasks(ctx, e, []int{1, 2, 3}, func(ctx context.Context, i int) (int, error) {
			return i, scenarios.Sleep(ctx, time.Hour)
		})
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, time.Second, time.Since(start))
		assert.NoError(t, e.Shutdown(t.Context()))
	})
}

func TestExecutorScenario(t *testing.T) {
	s, err := scenarios.Lookup("executor")
	require.NoError(t, err)
	for _, tc := range []struct{ workers, items, work int }{{1, 3, 10}, {3, 3, 10}, {4, 100, 1000}, {2, 0, 10}} {
		t.Run(fmt.Sprintf("executor/workers=%d/items=%d/work=%d", tc.workers, tc.items, tc.work), func(t *testing.T) {
			cfg := scenarios.Config{Workers: tc.workers, Items: tc.items, Work: tc.work}
			res, err := s.Run(t.Context(), cfg)
			require.NoError(t, err)
			assert.NoError(t, s.Check(cfg, res))
			serial, err := s.Serial(t.Context(), cfg)
			require.NoError(t, err)
			assert.Equal(t, serial.Data, res.Data, "the pool returns what the serial loop does")
			assert.Equal(t, serial.Total, res.Total)
		})
	}
}

func TestCheckExecutorRejectsDisorder(t *testing.T) {
	s, err := scenarios.Lookup("executor")
	require.NoError(t, err)
	cfg := scenarios.Config{Workers: 3, Items: 3, Work: 10}
	res, err := s.Serial(t.Context(), cfg)
	require.NoError(t, err)
	require.NoError(t, s.Check(cfg, res))

	swapped := res
	swapped.Data = []string{"Hello, Bob!", "Hello, Alice!", "Hello, Charlie!"}
	assert.EqualError(t, s.Check(cfg, swapped), `greeting 0 is "Hello, Bob!", want "Hello, Alice!": results out of input order`)
	lost := res
	lost.Total++
	assert.ErrorContains(t, s.Check(cfg, lost), "some work was lost or done twice")
}

// BenchmarkExecutorSubmitGet measures the executor's cost per task: queue,
// hand-off to a worker goroutine, and the future's wake-up, with no work in
// the task.
func BenchmarkExecutorSubmitGet(b *testing.B) {
	e := scenarios.NewTaskExecutor(1)
	defer func() { require.NoError(b, e.Shutdown(b.Context())) }()
	task := func(context.Context) (int, error) { return 1, nil }
	for b.Loop() {
		if _, err := scenarios.Submit(b.Context(), e, task).Get(b.Context()); err != nil {
			b.Fatal(err)
		}
	}
}

func TestCheckExecutorRejectsAnUnboundedPool(t *testing.T) {
	s, err := scenarios.Lookup("executor")
	require.NoError(t, err)
	cfg := scenarios.Config{Workers: 3, Items: 5, Work: 10}
	res, err := s.Run(t.Context(), cfg)
	require.NoError(t, err)
	assert.LessOrEqual(t, res.MaxConcurrent, 3, "never more tasks at once than workers")
	res.MaxConcurrent = 4
	assert.EqualError(t, s.Check(cfg, res), "4 tasks ran at once on a pool of 3 workers")
}

// ctxKey is the key of the values TestEachTaskSeesItsOwnContext tells its
// contexts apart by.
type ctxKey struct{}

// slicedCtx is a Context whose type is not comparable: the executor must
// not compare two of them with ==, which would panic.
type slicedCtx struct {
	context.Context
	tags []string
}

func TestEachTaskSeesItsOwnContext(t *testing.T) {
	e := scenarios.NewTaskExecutor(1)
	defer func() { require.NoError(t, e.Shutdown(t.Context())) }()
	a := context.WithValue(t.Context(), ctxKey{}, "a")
	b, cancelB := context.WithCancel(context.WithValue(t.Context(), ctxKey{}, "b"))
	s1 := slicedCtx{context.WithValue(t.Context(), ctxKey{}, "s1"), []string{"s1"}}
	s2 := slicedCtx{context.WithValue(t.Context(), ctxKey{}, "s2"), []string{"s2"}}

	// The first task holds the one worker until release is closed, so that
	// all of them are queued at once, with the contexts interleaved.
	release := make(chan struct{})
	type seen struct {
		value any
		err   error
	}
	task := func(ctx context.Context) (seen, error) {
		<-release
		return seen{ctx.Value(ctxKey{}), ctx.Err()}, nil
	}
	futures := []*scenarios.Future[seen]{
		scenarios.Submit(a, e, task),
		scenarios.Submit(b, e, task),
		scenarios.Submit(a, e, task),
		scenarios.Submit(s1, e, task),
		scenarios.Submit(s2, e, task),
		scenarios.Submit(a, e, task),
	}
	close(release)
	for i, want := range []any{"a", "b", "a", "s1", "s2", "a"} {
		got, err := futures[i].Get(t.Context())
		require.NoError(t, err, "task %d", i)
		assert.Equal(t, want, got.value, "task %d", i)
		assert.NoError(t, got.err, "task %d", i)
	}

	// A task submitted with b once b is cancelled does not run; a task
	// submitted with a still does.
	cancelB()
	_, err := scenarios.Submit(b, e, task).Get(t.Context())
	assert.ErrorIs(t, err, context.Canceled)
	got, err := scenarios.Submit(a, e, task).Get(t.Context())
	require.NoError(t, err)
	assert.Equal(t, seen{"a", nil}, got)
}

// Kills executor-shutdown-no-wait: when Shutdown returns, every task
// submitted before it is done, and no goroutine is left in the executor's
// code (one past its WaitGroup's Done, on its way out, is not). The
// executor's goroutines are told apart from any other by a profiler label
// they inherit from the test. Without the Wait, Shutdown returns before its
// workers have even run at GOMAXPROCS 1, and while they are on their way
// out on more.
func TestShutdownLeavesNoWorkerRunning(t *testing.T) {
	const rounds, workers = 50, 4
	for round := range rounds {
		label := fmt.Sprintf("shutdown-round-%d", round)
		pprof.Do(t.Context(), pprof.Labels("conclab-test", label), func(ctx context.Context) {
			e := scenarios.NewTaskExecutor(workers)
			futures := make([]*scenarios.Future[int], workers)
			for i := range futures {
				futures[i] = scenarios.Submit(ctx, e, func(context.Context) (int, error) { return i, nil })
			}
			require.NoError(t, e.Shutdown(ctx))
			for i, f := range futures {
				select {
				case <-f.Done():
				default:
					t.Fatalf("round %d: task %d not done when Shutdown returned", round, i)
				}
			}
		})
		if n := goroutinesIn(t, "conclab-test", label, "scenarios.(*TaskExecutor)."); n > 0 {
			t.Fatalf("round %d: %d goroutines still in the executor's code after Shutdown returned", round, n)
		}
	}
}

// recordRE is the count line of a record of a goroutine profile at debug=1.
var recordRE = regexp.MustCompile(`(?m)^(\d+) @`)

// goroutinesIn counts the goroutines labelled key=value whose stack holds
// a frame whose name starts with fn.
func goroutinesIn(t *testing.T, key, value, fn string) int {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, pprof.Lookup("goroutine").WriteTo(&buf, 1))
	want := fmt.Sprintf("%q:%q", key, value)
	n := 0
	for block := range strings.SplitSeq(buf.String(), "\n\n") {
		if !strings.Contains(block, "# labels: ") || !strings.Contains(block, want) || !strings.Contains(block, fn) {
			continue
		}
		// The first record shares its block with the profile's header.
		if m := recordRE.FindStringSubmatch(block); m != nil {
			count, _ := strconv.Atoi(m[1])
			n += count
		}
	}
	return n
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
