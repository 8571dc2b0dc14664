package main

import (
	"fmt"

	"github.com/conclab/conclab/internal/verdict"
)

// table is the comparison measured: its configurations and the claims
// judged on them.
type table struct {
	o       options
	configs []*config
	claims  []verdict.Verdict
}

func (t *table) find(workload string, m model, workers int) *config {
	for _, c := range t.configs {
		if c.workload == workload && c.model == m && c.workers == workers {
			return c
		}
	}
	return nil
}

// judge judges c on the paired ratios num[i] ÷ den[i] of the
// configurations from, whose i-th runs ran in the same rep, moments apart
// (see verdict.JudgePaired): inconclusive if one of them failed, or if
// other programs loaded the machine while they ran. A pair during which
// other programs were busy is left out. how says how the runs' fixed
// costs (numFixed[i] inside num[i], denFixed[i] inside den[i]) enter the
// ratio: the verdict is inconclusive only where the work without them
// would be judged otherwise (see verdict.JudgeFixed), whatever their share.
func judge(c verdict.Claim, how verdict.Fixed, num, den, numFixed, denFixed []float64, from ...*config) verdict.Verdict {
	var load verdict.Load
	for _, f := range from {
		if f == nil || f.err != nil || len(f.walls) == 0 {
			return verdict.Verdict{Claim: c, Reason: "a run it rests on failed (see the table)"}
		}
		load = load.Add(f.load)
	}
	loads := make([]verdict.Load, len(num))
	for _, f := range from {
		for i := range min(len(loads), len(f.loads)) {
			loads[i] = loads[i].Add(f.loads[i])
		}
	}
	return verdict.JudgeFixed(c, how, num, den, numFixed, denFixed, loads, load)
}

// speedup is the claim that model m's CPU runs are at least (or at most,
// with below) threshold times faster on all the cores than on one.
func (t *table) speedup(m model, text string, threshold float64, below bool, yes, no string) {
	wl, n := names(t.o.sizes).cpu, t.o.cores
	one, all := t.find(wl, m, 1), t.find(wl, m, n)
	if one == nil || all == nil {
		return
	}
	c := verdict.Claim{Text: text, Threshold: threshold, Below: below, Unit: "×", Yes: yes, No: no}
	// Both runs start their workers: start-up can move a speed-up either way.
	t.claims = append(t.claims, judge(c, verdict.FixedInBoth, one.walls, all.walls, one.zeros, all.zeros, one, all))
}

// noGain is the most a speed-up may be for "no speed-up": a fifth over
// one core, as the GIL allows a little overlap (start-up, I/O).
const noGain = 1.2

// gainShare is the share of the extra cores' ideal gain that makes "they
// speed it up" true: 1 + (n−1)/3, 1.33× on 2 cores. It says "more than one
// core clearly at work", the article's point, rather than "near-linear":
// two of Python's processes measured 1.6–1.8× on the quiet 2-core machine
// this was built on, where a threshold of 1.5 lay inside the run-to-run
// noise and its verdict flipped from run to run.
const gainShare = 1.0 / 3

// check judges the article's claims on the table.
func (t *table) check() {
	wl, n, s := names(t.o.sizes), t.o.cores, t.o.sizes
	gain := 1 + gainShare*float64(n-1)
	if n >= 2 {
		t.speedup(pyThreads, "threads give CPU-bound Python no speed-up (the GIL)", noGain, true,
			"the GIL serialises Python's threads; Go has none (see goroutines)",
			"Python's threads did speed up here: this Python does not serialise them")
		t.speedup(pyProcesses, "processes do", gain, false,
			"Python needs processes to use the cores; Go does not (see goroutines)",
			"Python's processes did not use the cores here")
		t.speedup(goGoroutine, "goroutines do", gain, false,
			"Go: goroutines use the cores; processes not needed",
			"Go: goroutines did not use the cores here")
		t.speedup(goProcesses, "Go processes do too, at the cost of start-up and serialisation", gain, false,
			"Go: worker processes scale too, but goroutines do the same without start-up or serialisation",
			"Go: start-up and serialisation ate the processes' gain; use goroutines")
		if g := t.find(wl.cpu, goGoroutine, n); g != nil {
			best := t.bestPython(wl.cpu, n)
			c := verdict.Claim{Text: "goroutines do the same work in under a tenth of Python's time", Threshold: 0.1, Below: true, Unit: "×",
				Yes: "Go: a goroutine's loop runs far faster than the best Python's, per item",
				No:  "Go: the goroutines' loop was not ten times faster than the best Python's per item here"}
			if best == nil {
				t.claims = append(t.claims, verdict.Verdict{Claim: c, Reason: "no Python run to compare with"})
			} else {
				// Each program's time per item carries its own start-up.
				t.claims = append(t.claims, judge(c, verdict.FixedInBoth, g.perItem(), best.perItem(), g.fixedPerItem(), best.fixedPerItem(), g, best))
			}
		}
	}
	for _, m := range []model{pyThreads, pyAsyncio, goGoroutine} {
		c := t.find(wl.io, m, s.waits)
		if c == nil {
			continue
		}
		yes := fmt.Sprintf("%s overlap I/O waits, as goroutines do", m)
		if m.isGo() {
			yes = "Go: goroutines overlap the waits, at a few KiB each"
		}
		claim := verdict.Claim{
			Text:      fmt.Sprintf("%s overlap %s waits (wall ≤ 2 latencies)", m, count(s.waits)),
			Threshold: 2, Below: true, Unit: " latencies",
			Yes: yes, No: fmt.Sprintf("%s took the waits more or less in turn", m),
		}
		// The wall time contains the threads' start-up; the latency is a
		// constant: a bound met with the start-up is met without.
		t.claims = append(t.claims, judge(claim, verdict.FixedInBound, c.walls, []float64{s.latency.Seconds()}, c.zeros, nil, c))
	}
}

// bestPython is the fastest Python configuration, per item, of a workload
// at n workers.
func (t *table) bestPython(workload string, n int) *config {
	var best *config
	for _, c := range t.configs {
		if c.model.isGo() || c.workload != workload || c.workers != n || c.err != nil || len(c.walls) == 0 {
			continue
		}
		if best == nil || verdict.Median(c.perItem()) < verdict.Median(best.perItem()) {
			best = c
		}
	}
	return best
}
