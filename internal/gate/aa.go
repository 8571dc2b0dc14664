package gate

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	decide "github.com/conclab/conclab/perf/gate"

	"github.com/conclab/conclab/internal/gotool"
)

// AAResult is the gate measured on a module: the work tree against itself.
type AAResult struct {
	Rule decide.Rule
	// Decisions is the number of whole gate decisions run; Failed how
	// many failed (each a false alarm: nothing changed), Inconclusive how
	// many ran out of time.
	Decisions, Failed, Inconclusive int
	// Benchmarks are the benchmarks gated, with the false alarms of each.
	Benchmarks []string
	Alarms     map[string]int
	// Rounds is the median number of rounds a decision took, Took its
	// median time.
	Rounds int
	Took   time.Duration
}

// AA builds the work tree's test binaries once and runs n whole decisions
// of the gate with the same binary on both sides: every failure is a false
// alarm. opts.Plan.Budget is the budget of one decision.
func AA(ctx context.Context, opts Options, n int) (*AAResult, error) {
	pkgs, tmp, err := opts.setUp(ctx, "conclab-gate-aa-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	opts.logf("gate: building %d package%s of the work tree, once, for both sides\n", len(pkgs), plural(len(pkgs)))
	var sides []side
	for i, p := range pkgs {
		bin := decide.Binary{Path: filepath.Join(tmp, fmt.Sprintf("aa-%d.test", i)), Dir: p.Dir}
		if err := buildTest(ctx, opts.Dir, p.ImportPath, bin.Path); err != nil {
			return nil, gotool.Usagef("%s does not build: %v", p.ImportPath, err)
		}
		sides = append(sides, side{pkg: p, old: bin, new: bin, hasOld: true})
	}
	var one Result
	r, names, err := opts.list(ctx, sides, &one)
	if err != nil {
		return nil, err
	}
	res := &AAResult{Rule: opts.Plan.Rule, Benchmarks: names, Alarms: map[string]int{}}
	var rounds []int
	var took []time.Duration
	for i := 1; i <= n; i++ {
		t0 := time.Now()
		out, err := decide.Sample(ctx, r, names, opts.Plan)
		if err != nil {
			return nil, err
		}
		res.Decisions++
		took = append(took, time.Since(t0))
		rounds = append(rounds, out.Rounds)
		verdict := "ok"
		switch {
		case out.Failed():
			res.Failed++
			verdict = "FALSE ALARM"
			for _, f := range out.Findings {
				if f.Verdict == decide.Fail {
					res.Alarms[f.Name]++
					opts.logf("gate: A/A %d/%d: %s\n", i, n, f)
				}
			}
		case len(out.Inconclusive) > 0:
			res.Inconclusive++
			verdict = "inconclusive"
		}
		opts.logf("gate: A/A decision %d/%d: %s in %d rounds, %v\n", i, n, verdict, out.Rounds, time.Since(t0).Round(100*time.Millisecond))
		if ctx.Err() != nil {
			break
		}
	}
	res.Rounds, res.Took = median(rounds), median(took)
	return res, nil
}

func median[T int | time.Duration](xs []T) T {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// Write prints the measured false-alarm rate and how to read it.
func (a *AAResult) Write(w io.Writer) {
	for _, b := range a.Benchmarks {
		if k := a.Alarms[b]; k > 0 {
			fmt.Fprintf(w, "%s: %d false alarm%s in %d decisions\n", b, k, plural(k), a.Decisions)
		}
	}
	rate := 0.0
	if a.Decisions > 0 {
		rate = float64(a.Failed) / float64(a.Decisions)
	}
	fmt.Fprintf(w, "gate: A/A: %d of %d decisions failed: a false-alarm rate of %.0f %% on these %d benchmarks (the rule allows α = %g; %d inconclusive; median %d rounds, %v a decision)\n",
		a.Failed, a.Decisions, 100*rate, len(a.Benchmarks), a.Rule.Alpha, a.Inconclusive, a.Rounds, a.Took.Round(100*time.Millisecond))
}
