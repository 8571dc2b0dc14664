package hunt

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

// ReplayRuns is the number of runs of a finding's replay command. The seed
// fixes every decision of hunt's perturbation (which yields fire, where a
// goroutine sleeps), not the Go scheduler: with GOMAXPROCS above one, or
// where a yield sleeps, the same seed can take another interleaving, so the
// replay runs the finding's own run several times.
const ReplayRuns = 10

// replayCommand is the command line that replays a finding's run ReplayRuns
// times: its seed in every run (-replay), its GOMAXPROCS and its yield
// probability.
func replayCommand(cfg *Config, t *testState, seed uint64, procs int, yield float64) string {
	pkg := t.target.pkg.ImportPath
	if dir, err := filepath.Abs(cfg.Dir); err == nil {
		if rel, err := filepath.Rel(dir, t.target.pkg.Dir); err == nil && !strings.HasPrefix(rel, "..") {
			pkg = "./" + filepath.ToSlash(rel)
			if rel == "." {
				pkg = "."
			}
		}
	}
	return fmt.Sprintf("conclab hunt -replay -run '^%s$' -seed %d -cpu %d -yield %g -runs %d %s",
		t.name, seed, procs, max(yield, 0), ReplayRuns, pkg)
}

// Confirming a replay. The seed pins hunt's decisions, not the Go
// scheduler's: a finding may come from a run whose seed made it likely, or
// from one the scheduler alone made fail. Before a finding is reported, its
// run is replayed ConfirmRuns times; if fewer than ConfirmRuns-1 of those
// show it, fresh runs in the finding's configuration look, within
// confirmSearch runs and confirmTime, for a seed whose replays do, and the
// replay command names the best seed found. Either way the finding says how
// many of its replays showed it here.
const (
	// ConfirmRuns is the number of replays that confirm a finding's seed.
	ConfirmRuns = 5
	// confirmMaxCost is the dearest run confirmed (a deadlock's run costs
	// its stall; such findings replay alike anyway); confirmSearchCost the
	// dearest run searched for a better seed.
	confirmMaxCost    = time.Second
	confirmSearchCost = 500 * time.Millisecond
	confirmSearch     = 30
	confirmTime       = 15 * time.Second
)

// confirm replays f's run and, if its seed does not pin the finding, looks
// for one that does (see ConfirmRuns). b is the batch that found it.
func (h *hunter) confirm(ctx context.Context, b *batch, f *Finding) {
	if h.cfg.Replay || h.cfg.NoConfirm {
		return
	}
	h.mu.Lock()
	cost := h.costOf(b.t)
	var others []Kind
	for _, k := range b.t.found() {
		if k != f.Kind {
			others = append(others, k)
		}
	}
	h.mu.Unlock()
	if cost > confirmMaxCost {
		return
	}
	one := func(seed uint64) bool {
		h.mu.Lock()
		r := &batch{t: b.t, count: 1, procs: f.GOMAXPROCS, yield: f.Yield, seed: seed, index: h.batches, ignore: others}
		h.batches++
		h.mu.Unlock()
		res := h.run(ctx, r)
		return !res.cancelled && res.ev != nil && res.ev.kind == f.Kind
	}
	shown := func(seed uint64) int {
		n := 0
		for range ConfirmRuns {
			if ctx.Err() != nil {
				return n
			}
			if one(seed) {
				n++
			}
		}
		return n
	}
	start := time.Now()
	own := shown(f.Seed)
	best, bestShown := f.Seed, own
	if cost <= confirmSearchCost {
		// Seeds of their own, apart from the hunt's (a test's are 1<<20
		// apart): the search does not use up the runs -runs N counts.
		for i := uint64(0); i < confirmSearch && bestShown < ConfirmRuns-1 && time.Since(start) < confirmTime && ctx.Err() == nil; i++ {
			seed := b.t.base + 1<<19 + i
			if one(seed) {
				if n := shown(seed); n > bestShown {
					best, bestShown = seed, n
				}
			}
		}
	}
	if ctx.Err() != nil && own+bestShown == 0 {
		return // stopped before any replay could tell
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	f.ReplaySeed, f.ReplayShown, f.ReplayOf, f.OwnShown = best, bestShown, ConfirmRuns, own
	f.Replay = replayCommand(h.cfg, b.t, best, f.GOMAXPROCS, f.Yield)
}

// ReplayNote says how far a finding's replay was confirmed: empty when it
// was not (a run too dear, or a replay under way).
func (f *Finding) ReplayNote() string {
	switch {
	case f.ReplayOf == 0:
		return ""
	case f.ReplaySeed != f.Seed:
		return fmt.Sprintf("seed %d showed it in %d of %d replays here; the finding's own seed %d in %d (the Go scheduler, not the seed, decided that run)", f.ReplaySeed, f.ReplayShown, f.ReplayOf, f.Seed, f.OwnShown)
	case f.ReplayShown >= f.ReplayOf-1:
		return fmt.Sprintf("showed it in %d of %d replays here", f.ReplayShown, f.ReplayOf)
	}
	return fmt.Sprintf("showed it in only %d of %d replays here, and no other seed did better: the schedule depends on more than the seed, run it several times", f.ReplayShown, f.ReplayOf)
}
