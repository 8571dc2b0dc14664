package hunt

// The default schedule's tests, on fake children whose runs report a
// coverage (schedule.go), in synctest bubbles: every run costs fake time.

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A fakeTest is how one test's fake runs behave.
type fakeTest struct {
	cost       time.Duration
	concurrent bool
	alone      bool // reaches concurrency operations, but starts no goroutine
	fresh      bool // every run reaches a pair of operations no earlier one did
}

// fakeChild returns a child whose every iteration passes after the test's
// cost and reports its coverage.
func fakeChild(tests map[string]fakeTest) func(context.Context, *batch) batchResult {
	return func(ctx context.Context, b *batch) batchResult {
		ft := tests[b.t.name]
		select {
		case <-ctx.Done():
			return batchResult{cancelled: true}
		case <-time.After(time.Duration(b.count) * ft.cost):
		}
		r := batchResult{completed: b.count}
		for i := range b.count {
			c := runCover{iter: i}
			if ft.concurrent {
				c.ops, c.goroutines, c.pairs = 12, 2, []uint32{1, 2, 3}
			}
			if ft.alone {
				c.ops, c.pairs = 5, []uint32{7, 8}
			}
			if ft.fresh {
				c.pairs = append(c.pairs, uint32(100+b.first+i))
			}
			r.covers = append(r.covers, c)
		}
		return r
	}
}

func runsByTest(sum *Summary) map[string]int {
	runs := map[string]int{}
	for _, r := range sum.Tests {
		runs[r.Test] = r.Runs
	}
	return runs
}

// A test that starts no goroutine and reaches no concurrency operation runs
// once; a concurrent one alone in its package gets the whole default
// budget, DefaultBudget of runs on every child.
func TestDefaultBudgetSequentialOnceConcurrentThirtySeconds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tests := map[string]fakeTest{
			"TestParse": {cost: 20 * time.Millisecond},
			"TestCache": {cost: 20 * time.Millisecond, alone: true},
			"TestPool":  {cost: 20 * time.Millisecond, concurrent: true},
		}
		h := fakeHunter(Config{Parallel: 2}, fakeChild(tests), "TestParse", "TestCache", "TestPool")
		start := time.Now()
		sum := h.hunt(t.Context())
		took := time.Since(start)
		runs := runsByTest(sum)
		assert.Equal(t, 1, runs["TestParse"], "a sequential test runs once")
		assert.Equal(t, 2, runs["TestCache"], "a test that locks alone on its goroutine runs twice")
		// Two children for 30 s at 20 ms a run, less the others' runs.
		assert.InDelta(t, 2*30*50-3, runs["TestPool"], 4, "the concurrent test gets the budget on both children")
		assert.GreaterOrEqual(t, took, DefaultBudget)
		assert.Less(t, took, DefaultBudget+time.Second)
		assert.False(t, sum.Interrupted)
		assert.Zero(t, sum.NotRun)
	})
}

// A package of sequential tests only costs one run of each: no budget.
func TestDefaultBudgetSequentialPackageRunsEachOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tests := map[string]fakeTest{}
		names := []string{"TestA", "TestB", "TestC", "TestD", "TestE"}
		for _, n := range names {
			tests[n] = fakeTest{cost: 100 * time.Millisecond}
		}
		h := fakeHunter(Config{Parallel: 1}, fakeChild(tests), names...)
		start := time.Now()
		sum := h.hunt(t.Context())
		assert.Equal(t, 500*time.Millisecond, time.Since(start), "one run of each, one after another")
		for _, n := range names {
			assert.Equal(t, 1, runsByTest(sum)[n], n)
		}
	})
}

// A run that reports no coverage (a test without the hook, a build without
// instrumentation) cannot be told sequential: its test is hunted as
// concurrent.
func TestDefaultBudgetUnreportedRunIsConcurrent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		child := func(ctx context.Context, b *batch) batchResult {
			// Inside synctest's bubble: the fake clock advances at once, nothing waits.
			time.Sleep(time.Second)
			return batchResult{completed: b.count}
		}
		sum := fakeHunter(Config{Parallel: 1}, child, "TestPlain").hunt(t.Context())
		assert.Equal(t, 30, runsByTest(sum)["TestPlain"])
	})
}

// On tests whose runs take long the budget is budgetRounds runs of every
// test, and every concurrent test gets about the same time: the cheap one
// many more runs than the slow ones.
func TestDefaultBudgetScalesAndSharesTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tests := map[string]fakeTest{"TestCheap": {cost: 10 * time.Millisecond, concurrent: true}}
		names := []string{"TestCheap"}
		for _, n := range []string{"TestSlow1", "TestSlow2", "TestSlow3", "TestSlow4"} {
			tests[n] = fakeTest{cost: 2 * time.Second, concurrent: true}
			names = append(names, n)
		}
		h := fakeHunter(Config{Parallel: 1}, fakeChild(tests), names...)
		start := time.Now()
		sum := h.hunt(t.Context())
		took := time.Since(start)
		round := 8*time.Second + 10*time.Millisecond
		assert.InDelta(t, (budgetRounds * round).Seconds(), took.Seconds(), 2.1, "the budget is %d rounds", budgetRounds)
		runs := runsByTest(sum)
		cheap := time.Duration(runs["TestCheap"]) * tests["TestCheap"].cost
		for _, n := range names[1:] {
			slow := time.Duration(runs[n]) * tests[n].cost
			assert.InDelta(t, slow.Seconds(), cheap.Seconds(), 0.35*slow.Seconds(), "%s and TestCheap get about the same time: %v and %v", n, slow, cheap)
		}
		assert.Greater(t, runs["TestCheap"], 100*runs["TestSlow1"])
	})
}

// A test whose runs keep reaching new pairs of operations gets more of the
// budget than one whose runs repeat themselves, up to twice as much.
func TestDefaultBudgetFavoursNewCoverage(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tests := map[string]fakeTest{
			"TestRepeats": {cost: 10 * time.Millisecond, concurrent: true},
			"TestFresh":   {cost: 10 * time.Millisecond, concurrent: true, fresh: true},
		}
		sum := fakeHunter(Config{Parallel: 1}, fakeChild(tests), "TestRepeats", "TestFresh").hunt(t.Context())
		runs := runsByTest(sum)
		ratio := float64(runs["TestFresh"]) / float64(runs["TestRepeats"])
		assert.InDelta(t, 2, ratio, 0.1, "runs: %v", runs)
	})
}

// Under -time the cheap concurrent test gets its runs between the first
// runs of slow tests instead of after all of them: the budget runs out with
// slow tests not run and the cheap one run hundreds of times.
func TestTimeFavoursConcurrentCheapTests(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tests := map[string]fakeTest{"TestCheap": {cost: 10 * time.Millisecond, concurrent: true, fresh: true}}
		names := []string{"TestCheap"}
		for i := range 20 {
			n := "TestSlow" + string(rune('A'+i))
			tests[n] = fakeTest{cost: 2 * time.Second}
			names = append(names, n)
		}
		sum := fakeHunter(Config{Parallel: 1, Time: 10 * time.Second}, fakeChild(tests), names...).hunt(t.Context())
		runs := runsByTest(sum)
		assert.Greater(t, runs["TestCheap"], 100, "runs: %v", runs)
		assert.Positive(t, sum.NotRun)
		assert.Less(t, sum.NotRun, 20)
		assert.True(t, sum.Interrupted, "tests were left not run")
	})
}

// -runs N is exactly N runs of every test, sequential or not.
func TestRunsIsExact(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tests := map[string]fakeTest{
			"TestSeq":  {cost: time.Millisecond},
			"TestConc": {cost: time.Millisecond, concurrent: true},
		}
		sum := fakeHunter(Config{Runs: 7, Parallel: 2}, fakeChild(tests), "TestSeq", "TestConc").hunt(t.Context())
		assert.Equal(t, map[string]int{"TestSeq": 7, "TestConc": 7}, runsByTest(sum))
	})
}

func TestProgressLineDefaultBudget(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := fakeHunter(Config{}, clean, "TestA")
		h.start = time.Now()
		// Inside synctest's bubble: the fake clock advances at once, nothing waits.
		time.Sleep(10 * time.Second)
		assert.Equal(t, "hunt: 0/1 tests done, 0 more run at least once, 0 runs, 0 findings, 10s of a 30s budget, 20s left", h.progressLine())
	})
}

func TestCoverState(t *testing.T) {
	var s coverState
	assert.False(t, s.sequential(), "no run yet: unknown")
	s.add(runCover{})
	assert.True(t, s.sequential(), "no goroutine, no operation")
	s.add(runCover{ops: 3, goroutines: 1, pairs: []uint32{1, 2}})
	assert.False(t, s.sequential(), "a goroutine started")
	s.add(runCover{ops: 3, pairs: []uint32{2, 1}})
	s.add(runCover{ops: 3, pairs: []uint32{1, 5}})
	assert.InDelta(t, 2.0/4, s.novelty(), 1e-9, "runs 2 and 4 reached new pairs")
	assert.True(t, runCover{goroutines: -1}.concurrent(), "goroutines not counted: maybe concurrent")

	var alone coverState // operations on one goroutine
	alone.add(runCover{ops: 8, pairs: []uint32{3, 4}})
	assert.False(t, alone.sequential(), "one run with operations: not known yet")
	alone.add(runCover{ops: 8, pairs: []uint32{4, 3}})
	assert.True(t, alone.sequential(), "the second run reached the first's pairs again")
	var other coverState
	other.add(runCover{ops: 8, pairs: []uint32{3}})
	other.add(runCover{ops: 8, pairs: []uint32{3, 9}})
	assert.False(t, other.sequential(), "the second run reached a new pair")
	var counted coverState
	counted.add(runCover{goroutines: -1})
	assert.False(t, counted.sequential(), "goroutines not counted")

	var u coverState
	u.add(runCover{})
	u.unknown++
	assert.False(t, u.sequential(), "a run without a report may have been concurrent")
}

// readCoverage takes each iteration's subtests off the goroutines it
// started: package testing starts one per subtest.
func TestReadCoverage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.jsonl")
	require.NoError(t, os.WriteFile(path, []byte(`{"kind":"leak","test":"TestA","message":"x"}
{"coverage":{"test":"TestA","iteration":0,"ops":0,"goroutines":2,"pairs":[]}}
{"coverage":{"test":"TestB","iteration":0,"ops":5,"goroutines":1,"pairs":[7]}}
{"coverage":{"test":"TestA","iteration":1,"ops":4,"goroutines":3,"pairs":[1,9]}}
`), 0o644))
	out := "=== RUN   TestA\n=== RUN   TestA/one\n=== RUN   TestA/two\n--- PASS: TestA (0.00s)\n" +
		"=== RUN   TestA\n=== RUN   TestA/one\n--- PASS: TestA (0.00s)\n"
	got := readCoverage(path, "TestA", out)
	assert.Equal(t, []runCover{
		{iter: 0, ops: 0, goroutines: 0, pairs: []uint32{}},
		{iter: 1, ops: 4, goroutines: 2, pairs: []uint32{1, 9}},
	}, got)
	assert.False(t, got[0].concurrent(), "two subtests, nothing else")
}

// TestScheduleReadsTheRuntimesCoverage hunts a real package under a short
// -time: the injected runtime tells the test that runs on its own goroutine
// (with subtests) from the one whose goroutines interleave, and only the
// second gets more than one run. -time counts the build too, so a first
// hunt of one run a test (which warms the build cache) sets it: twice what
// that took, and 3 s of runs.
func TestScheduleReadsTheRuntimesCoverage(t *testing.T) {
	cfg := Config{Dir: ".", Patterns: []string{"./testdata/budget"}}
	start := time.Now()
	warm := cfg
	warm.Runs = 1
	_, err := Hunt(t.Context(), warm)
	require.NoError(t, err, "the warm-up hunt")
	cfg.Time = 2*time.Since(start) + 3*time.Second
	sum, err := Hunt(t.Context(), cfg)
	require.NoError(t, err)
	require.Empty(t, sum.NotBuilt, "built within -time %v", cfg.Time)
	runs := runsByTest(sum)
	assert.Equal(t, 1, runs["TestWords"], "a sequential test runs once")
	assert.Greater(t, runs["TestTallyConcurrently"], 1, "a concurrent test runs until -time is spent")
	assert.Zero(t, sum.Findings)
}

// TestTimeCapsTheBuilds: -time counts from the start of the hunt, so a
// budget spent before a package's test binary is built leaves the package
// "not built": listed, never clean, and said in the text.
func TestTimeCapsTheBuilds(t *testing.T) {
	sum, err := Hunt(t.Context(), Config{Dir: ".", Patterns: []string{"./testdata/budget"}, Time: time.Nanosecond})
	require.NoError(t, err)
	assert.Equal(t, []string{"github.com/conclab/conclab/internal/hunt/testdata/budget"}, sum.NotBuilt)
	assert.False(t, sum.Clean(), "a package not built is not clean")
	assert.True(t, sum.Interrupted)
	var b bytes.Buffer
	require.NoError(t, sum.WriteText(&b))
	assert.Contains(t, b.String(), "not run: -time ran out before its test binary was built")
	assert.Contains(t, b.String(), "1 package not built")
}
