package hunt

import (
	"context"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/conclab/conclab/internal/gotool"
)

// minTimeout and maxTimeout bound the hard timeout of a run.
const (
	minTimeout = 25 * time.Second
	maxTimeout = 10 * time.Minute
)

// A testState is one test being hunted.
type testState struct {
	target *target
	name   string
	base   uint64 // seed of run 0; run r uses base+r

	// guarded by hunter.mu
	scheduled int
	completed int
	batches   int
	findings  []*Finding // in the order found; only the last can be decisive
	slow      bool
	last      time.Duration // from the start of the runs to the end of its last batch
	cancel    context.CancelFunc
	stall     time.Duration
	inflight  int           // batches under way
	cover     coverState    // what its runs reached
	spent     time.Duration // wall time of its batches that ran to their end
	timed     int           // iterations those batches ran
}

// symptom reports whether a finding of kind leaves its test worth hunting
// on (Detector.EndsHunt).
func symptom(kind Kind) bool {
	d, _ := detector(kind)
	return !d.EndsHunt
}

// done reports whether the test's hunt ended on a decisive finding.
func (t *testState) done() bool {
	return len(t.findings) > 0 && !symptom(t.findings[len(t.findings)-1].Kind)
}

// found returns the kinds found so far.
func (t *testState) found() []Kind {
	kinds := make([]Kind, len(t.findings))
	for i, f := range t.findings {
		kinds[i] = f.Kind
	}
	return kinds
}

// timeout is the parent's hard timeout of one run: a backstop behind the
// injected watchdog, long enough for a test slowed by heavy perturbation.
func (t *testState) timeout() time.Duration {
	return min(max(3*t.stall+2*time.Second, minTimeout), maxTimeout)
}

// A hunter schedules the runs of every test over the child processes.
type hunter struct {
	cfg   *Config
	work  string
	start time.Time // of the runs

	// deadline is when -time runs out, counted from the start of the hunt
	// (its builds included); zero without -time.
	deadline time.Time
	notBuilt []string

	// run runs one batch in a child process: runBatch, or a fake in tests.
	run func(context.Context, *batch) batchResult

	paths *pathMapper // findings' paths into module copies -> the module cache

	mu       sync.Mutex
	cond     *sync.Cond // on mu: a batch ended
	ctx      context.Context
	tests    []*testState
	batches  int
	runs     int
	procs    []int
	inflight int
	costs    map[*target]*costSum // by package, for the tests not run yet
	cost     costSum              // of every batch
}

// Hunt discovers, builds and hunts cfg's packages. It returns a
// *gotool.UsageError for bad input; Ctrl-C (ctx cancelled) or the -time budget
// stop it early with what was found so far.
func Hunt(ctx context.Context, cfg Config) (*Summary, error) {
	began := time.Now()
	cfg.defaults()
	if cfg.Shard < 0 || cfg.Shard >= cfg.Shards {
		return nil, gotool.Usagef("-shard %d/%d: want 0 <= i < n", cfg.Shard, cfg.Shards)
	}
	work, err := os.MkdirTemp("", "conclab-hunt-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	pkgs, err := discover(ctx, cfg.Dir, cfg.Patterns)
	if err != nil {
		return nil, err
	}
	if !cfg.Plain {
		if cfg.goMod, err = goMod(ctx, cfg.Dir); err != nil {
			return nil, err
		}
	}
	var deadline time.Time
	buildCtx := ctx
	if cfg.Time > 0 {
		deadline = began.Add(cfg.Time)
		var cancel context.CancelFunc
		buildCtx, cancel = context.WithDeadline(ctx, deadline)
		defer cancel()
	}
	built, err := buildAll(buildCtx, &cfg, work, pkgs)
	if ctx.Err() != nil {
		return &Summary{Interrupted: true}, nil
	}
	if err != nil {
		return nil, err
	}
	h := &hunter{cfg: &cfg, work: filepath.Join(work, "runs"), procs: procCycle(cfg.CPU), paths: newPathMapper(work), deadline: deadline}
	var targets []*target
	for i, tg := range built {
		if tg == nil {
			h.notBuilt = append(h.notBuilt, pkgs[i].ImportPath)
		} else {
			targets = append(targets, tg)
		}
	}
	h.run = h.runBatch
	if err := os.MkdirAll(h.work, 0o755); err != nil {
		return nil, err
	}
	base := cfg.Seed
	if !cfg.SeedSet {
		base = rand.Uint64() >> 12 // small enough to type, large enough to differ
	}
	for _, tg := range targets {
		for _, name := range tg.tests {
			if cfg.Run != nil && !cfg.Run.MatchString(name) {
				continue
			}
			if cfg.Shards > 1 && shardOf(tg.pkg.ImportPath, name, cfg.Shards) != cfg.Shard {
				continue
			}
			seed := base
			if !cfg.SeedSet {
				seed = base + uint64(len(h.tests))<<20
			}
			h.tests = append(h.tests, &testState{target: tg, name: name, base: seed, stall: cfg.Stall})
		}
	}
	if len(h.tests) == 0 && len(h.notBuilt) > 0 {
		return &Summary{NotBuilt: h.notBuilt, Interrupted: true}, nil
	}
	if len(h.tests) == 0 && cfg.Shards > 1 && cfg.Run == nil {
		return &Summary{}, nil // a CI matrix may have more shards than tests
	}
	if len(h.tests) == 0 {
		what := "no tests"
		if cfg.Run != nil {
			what = fmt.Sprintf("no tests match -run %q", cfg.Run.String())
		}
		return nil, gotool.Usagef("%s in %s (nothing to hunt)", what, strings.Join(cfg.Patterns, " "))
	}
	return h.hunt(ctx), nil
}

// shardOf places a test in one of n shards by a hash of its name, so a
// shard keeps its tests when others are added.
func shardOf(pkg, test string, n int) int {
	f := fnv.New32a()
	f.Write([]byte(pkg + "." + test))
	return int(f.Sum32() % uint32(n))
}

// procCycle returns the GOMAXPROCS values the batches of a test go through.
func procCycle(cpu int) []int {
	if cpu > 0 {
		return []int{cpu}
	}
	var out []int
	for _, n := range []int{2, 1, runtime.NumCPU(), 4} {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

func (h *hunter) hunt(ctx context.Context) *Summary {
	h.start = time.Now()
	runCtx := ctx
	if h.cfg.Time > 0 {
		if h.deadline.IsZero() {
			h.deadline = h.start.Add(h.cfg.Time)
		}
		var cancel context.CancelFunc
		runCtx, cancel = context.WithDeadline(ctx, h.deadline)
		defer cancel()
	}
	h.ctx = runCtx
	h.cond = sync.NewCond(&h.mu)
	testCtxs := make([]context.Context, len(h.tests))
	for i, t := range h.tests {
		testCtxs[i], t.cancel = context.WithCancel(runCtx)
		defer t.cancel()
	}
	stopProgress := h.progress(runCtx)
	var wg sync.WaitGroup
	for range h.cfg.Parallel {
		wg.Go(func() {
			for {
				b := h.next()
				if b == nil {
					return
				}
				start := time.Now()
				r := h.run(testCtxs[slices.Index(h.tests, b.t)], b)
				if f := h.finish(b, r, time.Since(start)); f != nil {
					h.confirm(runCtx, b, f)
					h.report(f)
				}
			}
		})
	}
	wg.Wait()
	stopProgress()
	return h.summary(ctx.Err() != nil, runCtx.Err() != nil)
}

// next returns the next batch of the test schedule.go picks, waiting while
// none is wanted now but batches under way may change that (a test's first
// run tells whether it wants more), or nil when the hunt is over.
func (h *hunter) next() *batch {
	h.mu.Lock()
	defer h.mu.Unlock()
	var pick *testState
	for {
		if h.ctx.Err() != nil {
			return nil
		}
		if pick = h.pick(time.Since(h.start)); pick != nil || h.inflight == 0 {
			break
		}
		h.cond.Wait()
	}
	if pick == nil {
		return nil
	}
	n := h.batchSize(pick)
	b := &batch{
		t: pick, first: pick.scheduled, count: n, procs: h.procs[pick.batches%len(h.procs)],
		yield: h.yield(pick.batches), seed: h.seed(pick), index: h.batches,
		ignore: pick.found(),
	}
	pick.scheduled += n
	pick.batches++
	pick.inflight++
	h.inflight++
	h.batches++
	return b
}

// seed returns the seed of t's next run: the run number after the test's
// first seed, or that seed itself in every run of a replay.
func (h *hunter) seed(t *testState) uint64 {
	if h.cfg.Replay {
		return t.base
	}
	return t.base + uint64(t.scheduled)
}

// batchSize chooses how many iterations one child runs: one unless
// Config.Count says otherwise. A second iteration in the same process would
// share it with what the first left behind (its goroutines, its package
// variables), and find races and failures that go test -count=1 never shows;
// measured on golang.org/x/sync's tests, a process a run cost 5 % more time.
func (h *hunter) batchSize(t *testState) int {
	if h.cfg.Replay { // a child's later iterations would use the next seeds
		return 1
	}
	if h.cfg.Count > 0 && h.cfg.Runs > 0 {
		return min(h.cfg.Count, h.cfg.Runs-t.scheduled)
	}
	if h.cfg.Count > 0 {
		return h.cfg.Count
	}
	return 1
}

// defaultYields are the perturbation strengths a test's batches go through
// when Config.Yield is zero: rare interleavings need a few yields on some
// bugs and a yield at nearly every operation on others (measured on the
// corpus's schedule-dependent kernels), and none on a few: a yield before
// every Signal hands the CPU to the waiters early, so GoBench's
// kubernetes#58107 (a Signal lost before the workers wait), which plain go
// test shows in every run at GOMAXPROCS 1, went unseen in 100 perturbed runs.
var defaultYields = []float64{DefaultYield, 0.8, 0.4, 0}

// yield returns the yield probability of a test's batch number i, varied
// together with GOMAXPROCS so that the batches cover every pair.
func (h *hunter) yield(i int) float64 {
	switch y := h.cfg.Yield; {
	case y < 0:
		return 0
	case y > 0:
		return y
	}
	return defaultYields[(i/len(h.procs))%len(defaultYields)]
}

// finish records a batch's outcome and its wall time d, and returns the
// finding it made, to be confirmed and reported (nil if none).
func (h *hunter) finish(b *batch, r batchResult, d time.Duration) *Finding {
	h.mu.Lock()
	defer h.mu.Unlock()
	defer h.cond.Broadcast()
	t := b.t
	t.inflight--
	h.inflight--
	if !r.cancelled {
		h.account(b, r, d)
	}
	if r.slow {
		t.slow = true // a run outlived the hard timeout, busy: hunting on would cost that much per run
	}
	if t.done() {
		return nil
	}
	t.completed += r.completed
	h.runs += r.completed
	elapsed := time.Since(h.start)
	if r.completed > 0 || r.ev != nil && !r.cancelled {
		t.last = elapsed
	}
	if r.cancelled || r.ev == nil {
		return nil
	}
	e := r.ev
	if slices.Contains(t.found(), e.kind) {
		return nil // a batch scheduled before that kind was found
	}
	run := b.first + e.iter + 1
	seed := b.seed + uint64(e.iter)
	h.runs++ // the run that found it
	if t.completed++; !symptom(e.kind) {
		t.completed = run
	}
	f := &Finding{
		Kind: e.kind, Package: t.target.pkg.ImportPath, Test: t.name, Message: e.message,
		Seed: seed, GOMAXPROCS: b.procs, Run: run, Stacks: e.stacks, Seconds: elapsed.Seconds(),
		Yield: b.yield, Replay: replayCommand(h.cfg, t, seed, b.procs, b.yield),
	}
	h.paths.fixFinding(f)
	classify(f, t.target.pkg.Dir)
	t.findings = append(t.findings, f)
	if !symptom(f.Kind) {
		t.cancel()
	}
	return f
}

// report hands a finding, its replay confirmed, to Config.Found.
func (h *hunter) report(f *Finding) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.cfg.Found != nil {
		h.cfg.Found(*f)
	}
}
