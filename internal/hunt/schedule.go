package hunt

import (
	"math"
	"time"
)

// The schedule: which test runs next, and when a test has had enough.
//
// With -runs N every test gets N runs, the fewest-run test first. Without
// it, a test's runs are worth as much as they can still find:
//
//   - Every test gets a first run (with -time, as long as the budget lasts).
//   - A test whose first run started no goroutine and reached no
//     concurrency operation of the instrumented code (a channel operation,
//     a lock, a WaitGroup, a go statement, ...) is done after that run: its
//     next run would do the same again, whatever the seed, the yields or
//     GOMAXPROCS. One that started no goroutine but reached operations (a
//     mutex locked alone on its goroutine) is done after a second run that
//     reaches the same pairs of operations as the first.
//   - The runs of the other tests go, one at a time, to the test whose next
//     run is likeliest to find something per second of its cost:
//     (1 + novelty) / (runs + 1) divided by the test's seconds per run,
//     where novelty is the share of its latest runs (up to eight) that
//     reached a pair of concurrency operations, one right after the other,
//     that no earlier run had reached. The 1/(runs+1) is Laplace's rule of
//     succession: after n clean runs, a bug that shows in some fixed share
//     of runs is about that unlikely in the next; dividing by the cost gives
//     every concurrent test about the same time, so a cheap test gets many
//     more runs than a slow one, and one whose schedules still differ gets
//     up to twice the time of one whose runs repeat themselves. A test that
//     has not run yet counts as likely (1) at the cost of its package's
//     runs so far, so under -time the cheap concurrent tests get runs
//     between the first runs of slow tests, not after all of them.
//   - Without -time the runs of the concurrent tests stop when the default
//     budget is spent: DefaultBudget, or budgetRounds times the time a run
//     of every concurrent test still hunted takes over the -parallel
//     children, whichever is longer (the first runs of every test are made
//     all the same). With -time, when -time is spent.

// DefaultBudget is the least wall time that hunt, with neither -runs nor
// -time, spends on the runs of a package with a concurrent test.
const DefaultBudget = 30 * time.Second

// budgetRounds is the default budget on packages whose tests take long: as
// long as this many runs of every test, one after another over the
// children.
const budgetRounds = 10

// A costSum adds up the wall time of batches and the iterations they ran.
type costSum struct {
	spent time.Duration
	runs  int
}

func (c *costSum) add(d time.Duration, runs int) {
	c.spent += d
	c.runs += runs
}

func (c costSum) perRun() (time.Duration, bool) {
	if c.runs == 0 {
		return 0, false
	}
	return c.spent / time.Duration(c.runs), true
}

// account notes what a batch that ran to its end (not cancelled) cost and
// what its runs reached. A package's cost, the estimate for its tests not
// run yet, counts first runs only: a cheap test's thousandth run says
// nothing of a slow test's first.
func (h *hunter) account(b *batch, r batchResult, d time.Duration) {
	t := b.t
	ran := r.completed
	if r.ev != nil {
		ran++
	}
	ran = max(ran, 1)
	t.spent += d
	t.timed += ran
	if h.costs == nil {
		h.costs = map[*target]*costSum{}
	}
	pc := h.costs[t.target]
	if pc == nil {
		pc = &costSum{}
		h.costs[t.target] = pc
	}
	if b.first == 0 {
		pc.add(d, ran)
		h.cost.add(d, ran)
	}
	for _, c := range r.covers {
		t.cover.add(c)
	}
	t.cover.unknown += max(ran-len(r.covers), 0)
}

// costOf is the expected wall time of one run of t: its own runs', or its
// package's first runs', or any first run's so far; 0 when nothing ran yet.
func (h *hunter) costOf(t *testState) time.Duration {
	if t.timed > 0 {
		return t.spent / time.Duration(t.timed)
	}
	if pc := h.costs[t.target]; pc != nil {
		if d, ok := pc.perRun(); ok {
			return d
		}
	}
	d, _ := h.cost.perRun()
	return d
}

// budget is the wall time the default schedule gives the runs: a round is
// one run of every test still hunted, so neither sequential tests nor those
// that ended (a deadlock found, a run that outlived the hard timeout) stretch
// it.
func (h *hunter) budget() time.Duration {
	var round time.Duration
	for _, t := range h.tests {
		if !t.done() && !t.slow && !t.cover.sequential() {
			round += h.costOf(t)
		}
	}
	return max(DefaultBudget, budgetRounds*round/time.Duration(max(h.cfg.Parallel, 1)))
}

// wants reports whether t should get another run, elapsed into the runs.
func (h *hunter) wants(t *testState, elapsed time.Duration) bool {
	switch {
	case t.done() || t.slow:
		return false
	case h.cfg.Runs > 0:
		return t.scheduled < h.cfg.Runs
	case t.scheduled == 0:
		return true
	case t.inflight > 0 && t.cover.undecided():
		return false // the run under way tells whether it wants more
	case t.cover.sequential():
		return false
	case h.cfg.Time == 0 && elapsed >= h.budget():
		return false
	}
	return true
}

// score is the likelihood that t's next run finds something, per second of
// its cost.
func (h *hunter) score(t *testState) float64 {
	p := 1.0
	if t.scheduled > 0 {
		p = (1 + t.cover.novelty()) / float64(t.scheduled+1)
	}
	c := h.costOf(t).Seconds()
	if c <= 0 {
		return math.Inf(1)
	}
	return p / c
}

// pick returns the test to run next, elapsed into the runs, or nil when no
// test wants a run now.
func (h *hunter) pick(elapsed time.Duration) *testState {
	fewest := h.cfg.Runs > 0 && h.cfg.Time == 0
	var best *testState
	var bestScore float64
	for _, t := range h.tests {
		if !h.wants(t, elapsed) {
			continue
		}
		var sc float64
		if !fewest {
			sc = h.score(t)
		}
		if best == nil || sc > bestScore || sc == bestScore && t.scheduled < best.scheduled {
			best, bestScore = t, sc
		}
	}
	return best
}
