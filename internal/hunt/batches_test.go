package hunt

// The scheduler's tests: a hunter whose children are fakes, so that they
// run in seconds (in a synctest bubble where time matters) and come before
// corpus_test.go's real hunts, which take a minute.

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/internal/gotool"
)

// fakeHunter returns a hunter of the tests named, whose batches run child
// in place of a test binary.
func fakeHunter(cfg Config, child func(context.Context, *batch) batchResult, names ...string) *hunter {
	cfg.defaults()
	cfg.NoConfirm = true // the fakes count their batches; confirm_test.go turns it on
	h := &hunter{cfg: &cfg, procs: []int{1}, run: child}
	tg := &target{pkg: &gotool.Package{ImportPath: "example.com/p"}}
	for i, name := range names {
		h.tests = append(h.tests, &testState{target: tg, name: name, base: uint64(i) << 20, stall: cfg.Stall})
	}
	return h
}

// clean is a child whose every iteration passes.
func clean(_ context.Context, b *batch) batchResult { return batchResult{completed: b.count} }

// TestHuntWaitsForEveryBatch holds every child until hunt has had every
// chance to return: it must not, and once they are let go, each test runs
// its budget except the one that stops at its finding, which is reported
// once.
func TestHuntWaitsForEveryBatch(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		var found []Finding // Found is called from one goroutine at a time
		child := func(ctx context.Context, b *batch) batchResult {
			<-release
			if b.t.name == "TestHangs" && b.first == 0 {
				return batchResult{ev: &event{kind: KindDeadlock, message: "no progress for 3s", iter: 0}}
			}
			return clean(ctx, b)
		}
		h := fakeHunter(Config{Runs: 3, Count: 1, Parallel: 2, Found: func(f Finding) { found = append(found, f) }},
			child, "TestA", "TestHangs", "TestB")

		done := make(chan *Summary, 1)
		go func() { done <- h.hunt(t.Context()) }()
		synctest.Wait()
		var sum *Summary
		select {
		case sum = <-done:
			t.Error("hunt returned while its batches were still running")
		default:
		}
		close(release)
		if sum == nil {
			sum = <-done
		}

		require.Len(t, sum.Tests, 3)
		runs := map[string]int{}
		for _, r := range sum.Tests {
			runs[r.Test] = r.Runs
		}
		assert.Equal(t, map[string]int{"TestA": 3, "TestHangs": 1, "TestB": 3}, runs, "runs per test")
		assert.Equal(t, 1, sum.Findings)
		assert.False(t, sum.Interrupted)
		if assert.Len(t, found, 1, "Found is called once per finding") {
			assert.Equal(t, "TestHangs", found[0].Test)
			assert.Equal(t, KindDeadlock, found[0].Kind)
		}
	})
}

// A leak, a failure or a race does not end a test's hunt: its later runs
// look for the other kinds only, and a deadlock ends it. A test that only
// leaks runs its whole budget, its leak reported once.
func TestHuntLooksOnAfterASymptom(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var found []Finding
		var ignored [][]Kind // what each batch of TestLeakyRace was told to ignore
		child := func(ctx context.Context, b *batch) batchResult {
			if b.t.name == "TestLeakyRace" {
				ignored = append(ignored, b.ignore)
			}
			switch {
			case b.t.name == "TestFails" && !slices.Contains(b.ignore, KindFailure):
				return batchResult{ev: &event{kind: KindFailure, message: "want 1, got 2"}}
			case !slices.Contains(b.ignore, KindLeak):
				return batchResult{ev: &event{kind: KindLeak, message: "1 goroutine(s) still running"}}
			case b.t.name == "TestLeakyRace" && b.first == 3:
				return batchResult{ev: &event{kind: KindRace, message: "data race"}}
			case b.t.name == "TestLeakyRace" && b.first == 5 && slices.Contains(b.ignore, KindRace):
				return batchResult{ev: &event{kind: KindDeadlock, message: "no progress for 3s"}}
			}
			return clean(ctx, b)
		}
		h := fakeHunter(Config{Runs: 8, Count: 1, Parallel: 1, Found: func(f Finding) { found = append(found, f) }},
			child, "TestLeakyRace", "TestLeaks", "TestFails")
		sum := h.hunt(t.Context())

		byTest := map[string]TestResult{}
		for _, r := range sum.Tests {
			byTest[r.Test] = r
		}
		kinds := func(r TestResult) (k []Kind) {
			for _, f := range r.All() {
				k = append(k, f.Kind)
			}
			return k
		}
		assert.Equal(t, []Kind{KindLeak, KindRace, KindDeadlock}, kinds(byTest["TestLeakyRace"]), "the leak, the race, then the deadlock the later runs found")
		assert.Equal(t, 6, byTest["TestLeakyRace"].Runs, "the deadlock in run 6 ends the hunt")
		assert.Equal(t, []Kind{KindLeak}, kinds(byTest["TestLeaks"]))
		assert.Equal(t, 8, byTest["TestLeaks"].Runs, "a test that only leaks runs its whole budget")
		assert.Equal(t, []Kind{KindFailure, KindLeak}, kinds(byTest["TestFails"]), "a leak after a failure is another kind")
		assert.Equal(t, 8, byTest["TestFails"].Runs)
		assert.Equal(t, 6, sum.Findings)
		assert.Len(t, found, 6, "Found is called once per finding")
		assert.False(t, sum.Interrupted)
		require.NotEmpty(t, ignored)
		assert.Empty(t, ignored[0], "the first batch looks for everything")
		assert.Equal(t, []Kind{KindLeak, KindRace}, ignored[len(ignored)-1], "later batches leave the kinds found")
	})
}

// Each run has a process of its own unless -count says otherwise: a
// second iteration in one process would share it with what the first left
// behind.
func TestEachRunHasItsOwnProcess(t *testing.T) {
	for _, tc := range []struct {
		count int
		want  []int
	}{
		{0, []int{1, 1, 1, 1, 1}},
		{3, []int{3, 2}},
	} {
		t.Run(fmt.Sprintf("count=%d", tc.count), func(t *testing.T) {
			var sizes []int
			child := func(ctx context.Context, b *batch) batchResult {
				sizes = append(sizes, b.count)
				return clean(ctx, b)
			}
			sum := fakeHunter(Config{Runs: 5, Count: tc.count, Parallel: 1}, child, "TestA").hunt(t.Context())
			assert.Equal(t, tc.want, sizes, "iterations per child")
			assert.Equal(t, 5, sum.Runs)
		})
	}
}

// TestHuntStopsItsProgressLine hunts for 24 s of fake time with a progress
// line every 5 s: hunt returns when the last batch does, the progress
// goroutine with it.
func TestHuntStopsItsProgressLine(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var progress bytes.Buffer
		child := func(ctx context.Context, b *batch) batchResult {
			time.Sleep(12 * time.Second) // fake time in the bubble: a child that runs 12 s
			return clean(ctx, b)
		}
		h := fakeHunter(Config{Runs: 1, Parallel: 1, Progress: &progress}, child, "TestA", "TestB")

		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		start := time.Now()
		done := make(chan *Summary, 1)
		go func() { done <- h.hunt(ctx) }()
		var sum *Summary
		select {
		case sum = <-done:
		case <-time.After(time.Hour):
			t.Error("hunt did not return within an hour of its last batch: its progress line runs on")
			cancel() // as Ctrl-C would
			select {
			case sum = <-done:
			case <-time.After(time.Hour):
				t.Fatal("hunt did not return even once cancelled: it waits for a progress goroutine that never says it is done")
			}
		}
		assert.Equal(t, 24*time.Second, time.Since(start), "hunt returns with its last batch")
		assert.Equal(t, 2, sum.Runs)
		assert.Equal(t, []string{
			"hunt: 0/2 tests done, 0 more run at least once, 0 runs, 0 findings, 5s",
			"hunt: 0/2 tests done, 0 more run at least once, 0 runs, 0 findings, 10s",
			"hunt: 1/2 tests done, 0 more run at least once, 1 run, 0 findings, 15s",
			"hunt: 1/2 tests done, 0 more run at least once, 1 run, 0 findings, 20s",
		}, strings.Split(strings.TrimSpace(progress.String()), "\n"))
	})
}

// afterFuncCtx is a caller's context of its own kind, which counts the
// contexts derived from it that have not been released (context.WithCancel
// registers each through AfterFunc and stops it when cancelled).
type afterFuncCtx struct {
	context.Context // never done
	done            chan struct{}

	mu   sync.Mutex
	live int
}

func (c *afterFuncCtx) Done() <-chan struct{} { return c.done }

func (c *afterFuncCtx) AfterFunc(func()) (stop func() bool) {
	c.mu.Lock()
	c.live++
	c.mu.Unlock()
	var once sync.Once
	return func() (stopped bool) {
		once.Do(func() {
			c.mu.Lock()
			c.live--
			c.mu.Unlock()
			stopped = true
		})
		return stopped
	}
}

func (c *afterFuncCtx) unreleased() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.live
}

// TestHuntReleasesTheCallersContext: a hunt, with a time budget or
// without, leaves nothing registered on its caller's context when it
// returns (a long-lived caller would otherwise hold each hunt's contexts,
// and a budget's timer, until the budget ran out).
func TestHuntReleasesTheCallersContext(t *testing.T) {
	for _, tc := range []struct {
		name   string
		budget time.Duration
	}{
		{"no budget", 0},
		{"budget", time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := &afterFuncCtx{Context: context.Background(), done: make(chan struct{})}
			h := fakeHunter(Config{Runs: 2, Parallel: 2, Time: tc.budget}, clean, "TestA", "TestB")
			sum := h.hunt(ctx)
			require.Equal(t, 4, sum.Runs)
			assert.Zero(t, ctx.unreleased(), "contexts derived from the caller's and not released")
		})
	}
}

// TestTimeBudgetLeavesTestsNotRun: the tests whose first run had not ended
// when -time ran out are "not run", counted in the summary, never clean;
// a clean test has the seconds of its last run.
func TestTimeBudgetLeavesTestsNotRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		child := func(ctx context.Context, b *batch) batchResult {
			select {
			case <-ctx.Done():
				return batchResult{cancelled: true}
			case <-time.After(600 * time.Millisecond):
				return clean(ctx, b)
			}
		}
		h := fakeHunter(Config{Runs: 1, Parallel: 1, Time: time.Second}, child, "TestA", "TestB", "TestC")
		sum := h.hunt(t.Context())
		require.Len(t, sum.Tests, 3)
		assert.False(t, sum.Tests[0].NotRun)
		assert.Equal(t, 1, sum.Tests[0].Runs)
		assert.InDelta(t, 0.6, sum.Tests[0].Seconds, 0.01, "a clean test has the seconds of its last run")
		assert.True(t, sum.Tests[1].NotRun, "its run was cut by -time")
		assert.True(t, sum.Tests[2].NotRun, "never started")
		assert.Equal(t, 2, sum.NotRun)
		assert.False(t, sum.Clean(), "a hunt that left tests unrun is not clean")

		var b bytes.Buffer
		require.NoError(t, sum.WriteText(&b))
		assert.Contains(t, b.String(), "not run (the hunt stopped before its first run ended)")
		assert.NotContains(t, b.String(), "TestB  clean")
		assert.Contains(t, b.String(), ": clean, 2 tests not run")
	})
}

func TestProgressLine(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := fakeHunter(Config{Runs: 20, Time: time.Minute}, clean, "TestA", "TestB", "TestC")
		h.start = time.Now()
		h.tests[0].completed = 20
		h.tests[1].completed = 3
		h.runs = 23
		// Inside synctest's bubble: the fake clock advances at once, nothing waits.
		time.Sleep(10 * time.Second)
		assert.Equal(t, "hunt: 1/3 tests done, 1 more run at least once, 23 runs, 0 findings, 10s of 1m0s, 50s left", h.progressLine())
	})
}
