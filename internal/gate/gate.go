// Package gate is `conclab gate`: the benchmark gate of package perf/gate
// for any Go module's own benchmarks. It builds each package's test binary
// once on each side — the work tree, and the base commit checked out in a
// temporary git worktree — then has perf/gate run them alternately, one
// benchmark at a time, which side goes first drawn at random, and decide
// each benchmark by the same rule as `make bench-compare`: the one-sided
// Wilcoxon signed-rank test of the per-round log ratios new/old,
// Benjamini–Hochberg across the benchmarks, the Hodges–Lehmann ratio with
// its 95 % interval against a floor of 0.3 × the threshold, and sequential
// stopping (go doc ./perf/gate).
//
// [Run] compares two sides; a failing benchmark's CPU profiles of both
// sides and their differential flame graph are written to a directory.
// [AA] measures the gate on the module itself: it runs the work tree
// against itself, decision after decision, and counts how many fail — the
// false-alarm rate on that module's benchmarks, on that machine.
package gate

import (
	"context"
	"fmt"
	"io"
	"os"
	"regexp"
	"time"

	decide "github.com/conclab/conclab/perf/gate"

	"github.com/conclab/conclab/internal/gotool"
)

// Options say what to gate and how.
type Options struct {
	// Dir is where the go command runs (the user's module); "" is the
	// current directory.
	Dir string
	// Patterns are the packages; none means ./... .
	Patterns []string
	// Base is the git ref of the old side (a temporary worktree); BaseDir,
	// when set instead, is a checkout already prepared. AA ignores both.
	Base, BaseDir string
	// Bench is the -test.bench regexp; "" is every benchmark (".").
	Bench string
	// Plan is the decision's rule and sampling; its Budget is the whole
	// gate's, builds included, a tenth of it kept for the profiles.
	Plan decide.Plan
	// Benchtime and Reps: a measurement is the fastest of Reps runs of
	// Benchtime in one process.
	Benchtime string
	Reps      int
	// Profiles is where a failing benchmark's profiles and differential
	// flame graph go; "" for none.
	Profiles string
	// Progress gets the progress lines; nil for none.
	Progress io.Writer
}

// DefaultBenchtime and DefaultReps are the measurement of `make bench-compare`.
const (
	DefaultBenchtime = "20ms"
	DefaultReps      = 3
)

// A Result is what Run measured and decided.
type Result struct {
	decide.Outcome
	// Rule is the rule that decided.
	Rule decide.Rule
	// OldOnly and NewOnly are benchmarks found on one side only, each
	// with why: named, not gated.
	OldOnly, NewOnly []string
	// Skipped says why nothing was compared, when nothing was.
	Skipped string
	// Profiles are the files written for the failing benchmarks.
	Profiles []string
}

// Run gates the work tree against the base.
func Run(ctx context.Context, opts Options) (*Result, error) {
	start := time.Now()
	pkgs, tmp, err := opts.setUp(ctx, "conclab-gate-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	baseDir := opts.BaseDir
	label := baseDir
	if opts.Base != "" {
		wt, err := addWorktree(ctx, opts.Dir, opts.Base)
		if err != nil {
			return nil, err
		}
		defer wt.Remove()
		baseDir, label = wt.Cwd, opts.Base
	}
	if baseDir == "" {
		return nil, gotool.Usagef("name the base: -base REF")
	}
	opts.logf("gate: building %d package%s at %s and in the work tree\n", len(pkgs), plural(len(pkgs)), label)
	sides, err := build(ctx, opts, pkgs, tmp, baseDir, label)
	if err != nil {
		return nil, err
	}
	res := &Result{Rule: opts.Plan.Rule}
	r, names, err := opts.list(ctx, sides, res)
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		res.Skipped = fmt.Sprintf("no benchmark matching %q on both sides, nothing to compare", opts.Bench)
		return res, nil
	}
	plan := opts.Plan
	end := start.Add(plan.Budget)
	if plan.Budget = time.Until(end.Add(-plan.Budget / 10)); plan.Budget <= 0 {
		res.Inconclusive = names
		res.Skipped = "inconclusive: the time budget was spent before the first measurement"
		return res, nil
	}
	opts.logf("gate: %d benchmark%s, up to %d rounds within %v\n", len(names), plural(len(names)), plan.MaxRounds, plan.Budget.Round(time.Second))
	out, err := decide.Sample(ctx, r, names, plan)
	if err != nil {
		return nil, err
	}
	res.Outcome = out
	if opts.Profiles != "" && out.Failed() {
		res.Profiles = opts.profile(ctx, r, out.Findings, end)
	}
	return res, nil
}

func (opts *Options) defaults() {
	if opts.Dir == "" {
		opts.Dir, _ = os.Getwd()
	}
	if len(opts.Patterns) == 0 {
		opts.Patterns = []string{"./..."}
	}
	if opts.Bench == "" {
		opts.Bench = "."
	}
	if opts.Plan.MaxRounds == 0 {
		opts.Plan = decide.DefaultPlan
	}
	if opts.Benchtime == "" {
		opts.Benchtime = DefaultBenchtime
	}
	if opts.Reps == 0 {
		opts.Reps = DefaultReps
	}
}

func (opts *Options) logf(format string, args ...any) {
	if opts.Progress != nil {
		fmt.Fprintf(opts.Progress, format, args...)
	}
}

// checkBench checks that the pattern is a regexp the test binary accepts.
func checkBench(re string) error {
	if _, err := regexp.Compile(re); err != nil {
		return gotool.Usagef("-bench %q: %v", re, err)
	}
	return nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
