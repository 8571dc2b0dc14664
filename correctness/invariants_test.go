package correctness

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/scenarios"
)

// The registry table: every scenario of the catalogue, run then checked
// under -race, across worker and item counts and with its context cancelled
// before it starts and midway. A scenario is in the table the day it is
// registered.

// Item counts of the table: none, one, a few, and enough for every worker
// to get several.
const (
	smallItems = 7
	largeItems = 1000
)

// maxWork caps Config.Work in the table: the invariants do not depend on
// how long an item computes, and -race multiplies it.
const maxWork = 1000

// maxProcesses caps the workers of scenarios that start a process per
// worker (Scenario.Processes): each is a re-executed test binary.
const maxProcesses = 4

// tableConfig is s's defaults resized for the table: workers and items as
// given, work capped, and the in-memory back-end for IO scenarios so that
// their waits run in virtual time. Latency is kept: inside a bubble it costs
// nothing, and it is what makes the waits overlap.
func tableConfig(s *scenarios.Scenario, workers, items int) scenarios.Config {
	cfg := s.Defaults
	cfg.Workers, cfg.Items = workers, items
	cfg.Work = min(cfg.Work, maxWork)
	if cfg.Backend != "" {
		cfg.Backend = scenarios.BackendMemory
	}
	if s.Processes {
		cfg.Latency = min(cfg.Latency, time.Millisecond)
	}
	return cfg
}

// workerCounts is the table's workers for items: 1, 2, GOMAXPROCS,
// 4×GOMAXPROCS, and more workers than items.
func workerCounts(s *scenarios.Scenario, items int) []int {
	p := runtime.GOMAXPROCS(0)
	ws := compact(1, 2, p, 4*p)
	if items < largeItems {
		ws = compact(append(ws, items+1)...)
	}
	if s.Processes {
		ws = slices.DeleteFunc(ws, func(w int) bool { return w > maxProcesses })
	}
	return ws
}

// run is one run of a scenario: what it returned and the time it took,
// virtual inside a bubble.
type run struct {
	res     scenarios.Result
	err     error
	elapsed time.Duration
}

// runScenario runs f(ctx, cfg) where ctx is derived from the test's context
// by withCtx (nil: the test's context), inside a synctest bubble unless s
// starts processes. Inside a bubble, synctest.Test also fails the test if a
// goroutine started by the run is still blocked when it returns.
func runScenario(t *testing.T, s *scenarios.Scenario, f scenarios.RunFunc, cfg scenarios.Config,
	withCtx func(context.Context) (context.Context, context.CancelFunc)) run {
	t.Helper()
	var r run
	body := func(t *testing.T) {
		ctx := t.Context()
		if withCtx != nil {
			var cancel context.CancelFunc
			ctx, cancel = withCtx(ctx)
			defer cancel()
		}
		start := time.Now()
		r.res, r.err = f(ctx, cfg)
		r.elapsed = time.Since(start)
	}
	if s.Processes || cfg.Backend == scenarios.BackendHTTP {
		// Real processes and sockets: no bubble, but a watchdog.
		withWatchdog(t, realTimeLimit, func() { body(t) })
	} else {
		synctest.Test(t, body)
	}
	return r
}

// realTimeLimit bounds a run outside a bubble: a hang becomes a failure
// that names its test, long before the test binary's timeout.
const realTimeLimit = 30 * time.Second

// withWatchdog runs f and fails the test if it has not returned within
// limit. The goroutine running f is then left behind: the test has failed.
func withWatchdog(t *testing.T, limit time.Duration, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(limit):
		t.Fatalf("hung: still running after %v", limit)
	}
}

func TestInvariants(t *testing.T) {
	for _, s := range scenarios.All() {
		for _, items := range []int{0, 1, smallItems, largeItems} {
			for _, workers := range workerCounts(s, items) {
				t.Run(fmt.Sprintf("%s/workers=%d/items=%d", s.Name, workers, items), func(t *testing.T) {
					cfg := tableConfig(s, workers, items)
					r := runScenario(t, s, s.Run, cfg, nil)
					require.NoError(t, r.err)
					assert.NoError(t, s.Check(cfg, r.res), "the invariant holds")
				})
			}
		}
	}
}

// TestSerialBaselines: Check accepts every serial baseline's results too,
// the reference every speed-up is measured against.
func TestSerialBaselines(t *testing.T) {
	for _, s := range scenarios.All() {
		if s.Serial == nil {
			continue
		}
		for _, items := range []int{0, 1, smallItems, largeItems} {
			workers := runtime.GOMAXPROCS(0)
			t.Run(fmt.Sprintf("%s/serial/workers=%d/items=%d", s.Name, workers, items), func(t *testing.T) {
				cfg := tableConfig(s, workers, items)
				r := runScenario(t, s, s.Serial, cfg, nil)
				require.NoError(t, r.err)
				assert.NoError(t, s.Check(cfg, r.res), "the invariant holds for the serial baseline")
			})
		}
	}
}

// TestCancelBeforeStart: a run whose context is already cancelled returns
// context.Canceled, and leaves nothing running.
func TestCancelBeforeStart(t *testing.T) {
	for _, s := range scenarios.All() {
		workers := runtime.GOMAXPROCS(0)
		if s.Processes {
			workers = min(workers, maxProcesses)
		}
		for _, serial := range []bool{false, true} {
			f, what := s.Run, "run"
			if serial {
				if s.Serial == nil {
					continue
				}
				f, what = s.Serial, "serial"
			}
			t.Run(fmt.Sprintf("%s/%s/workers=%d/items=%d", s.Name, what, workers, smallItems), func(t *testing.T) {
				cfg := tableConfig(s, workers, smallItems)
				r := runScenario(t, s, f, cfg, func(ctx context.Context) (context.Context, context.CancelFunc) {
					ctx, cancel := context.WithCancel(ctx)
					cancel()
					return ctx, cancel
				})
				assert.ErrorIs(t, r.err, context.Canceled, "a cancelled run reports the context's error")
			})
		}
	}
}

// TestCancelMidway cancels every scenario while it runs, and requires the
// cancellation to reach it. A scenario that waits (Latency > 0) runs in a
// bubble with a deadline of half a latency, when no wait can have finished:
// it must return context.DeadlineExceeded having waited no longer than one
// latency. A scenario that only computes runs its default work, and has its
// context cancelled as soon as it watches it (see cancelWhenWatched): it
// must return context.Canceled.
// In both cases nothing may outlive the run.
func TestCancelMidway(t *testing.T) {
	for _, s := range scenarios.All() {
		workers := runtime.GOMAXPROCS(0)
		if s.Processes {
			workers = min(workers, maxProcesses)
		}
		items := largeItems
		cfg := tableConfig(s, workers, items)
		t.Run(fmt.Sprintf("%s/workers=%d/items=%d", s.Name, workers, items), func(t *testing.T) {
			if cfg.Latency > 0 && !s.Processes {
				deadline := cfg.Latency / 2
				r := runScenario(t, s, s.Run, cfg, func(ctx context.Context) (context.Context, context.CancelFunc) {
					return context.WithTimeout(ctx, deadline)
				})
				require.ErrorIs(t, r.err, context.DeadlineExceeded, "a run cancelled midway reports the context's error")
				assert.LessOrEqual(t, r.elapsed, cfg.Latency, "a cancelled run stops waiting within one latency")
				return
			}
			if !s.Processes {
				// The scenario's own work, sized to take a while: the
				// cancellation lands among several polls of each worker.
				cfg = s.Defaults
				cfg.Workers = workers
			}
			var w *watchedCtx
			r := runScenario(t, s, s.Run, cfg, func(ctx context.Context) (context.Context, context.CancelFunc) {
				w = cancelWhenWatched(ctx)
				return w, w.cancel
			})
			assert.ErrorIs(t, r.err, context.Canceled, "a run cancelled midway reports the context's error (%s)", w)
		})
	}
}

// watchedCtx is a context that cancels itself as soon as the run shows that
// it watches it: at the first call of Done (the caller then selects on the
// channel) or the second of Err (a poller's first poll often comes before
// any work). A run that honours its context then stops with
// context.Canceled wherever it is; one that finishes all the same never
// looked, and the test says how often it did.
type watchedCtx struct {
	context.Context
	cancel      context.CancelFunc
	errs, dones atomic.Int64
}

func cancelWhenWatched(parent context.Context) *watchedCtx {
	ctx, cancel := context.WithCancel(parent)
	return &watchedCtx{Context: ctx, cancel: cancel}
}

func (c *watchedCtx) Err() error {
	if c.errs.Add(1) == 2 {
		c.cancel()
	}
	return c.Context.Err()
}

func (c *watchedCtx) Done() <-chan struct{} {
	if c.dones.Add(1) == 1 {
		c.cancel()
	}
	return c.Context.Done()
}

func (c *watchedCtx) String() string {
	return fmt.Sprintf("the run called Err %d times and Done %d times", c.errs.Load(), c.dones.Load())
}

// TestChecksRejectEmptyResult is the negative control of every Check: a
// Check that accepted the zero Result of a run that had items to do would
// make TestInvariants prove nothing for its scenario.
func TestChecksRejectEmptyResult(t *testing.T) {
	for _, s := range scenarios.All() {
		t.Run(fmt.Sprintf("%s/items=%d", s.Name, smallItems), func(t *testing.T) {
			cfg := tableConfig(s, 2, smallItems)
			assert.Error(t, s.Check(cfg, scenarios.Result{}), "Check rejects a result in which nothing was done")
		})
	}
}
