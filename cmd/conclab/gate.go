package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/signal"
	"syscall"
	"time"

	"github.com/conclab/conclab/internal/gate"
	"github.com/conclab/conclab/internal/gotool"
	decide "github.com/conclab/conclab/perf/gate"
)

var gateDoc = fmt.Sprintf(`Gate a change on its benchmarks: is the work tree slower than -base REF?
Run it from inside any Go module; PACKAGES are go list patterns (default
./...). Each package's test binary is built once on each side (REF checked
out with 'git worktree add' in a temporary directory; the work tree, dirty
or not, is the change), then the two run alternately, one benchmark at a
time, which side goes first drawn at random. A measurement is the fastest
of -reps runs of -benchtime in one process; each round is a pair.

The decision is the one 'make bench-compare' makes for conclab (go doc
github.com/conclab/conclab/perf/gate): a benchmark fails when the one-sided
Wilcoxon signed-rank test of its log ratios new/old, adjusted by
Benjamini–Hochberg across the benchmarks, gives q ≤ -alpha, and its ratio
(the Hodges–Lehmann estimate, with its 95 %% interval) is at least 1 + the
floor, %g × -threshold. After %d rounds, and every %d after, a benchmark whose
interval lies under the floor stops as a pass, one with q ≤ %g and its
interval above the floor as a failure; the others go on, up to %d rounds,
within -time (builds included). A failure names the ratio, interval, p, q
and the rule that fired; the CPU profiles of both sides and their
differential flame graph go to -profiles.

	conclab gate -base origin/main ./...
	conclab gate -base HEAD~1 -bench 'Cache' ./cache
	conclab gate -aa 20 ./...      the work tree against itself, 20 decisions: the false-alarm rate

A benchmark on one side only (a base that predates it) is named and not
gated. Exit status: 0 on a pass (or nothing on both sides to compare), 1 on
a regression, a benchmark that fails in the work tree, or too few rounds to
decide within -time; 2 on bad input (a REF that is not a commit, no
benchmark, a side that does not build). With -aa, 0 once the rate is
printed.`, decide.FloorShare, decide.DefaultPlan.MinRounds, decide.DefaultPlan.Every, decide.DefaultRule.Interim, decide.DefaultPlan.MaxRounds)

func runGate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("gate", "-base REF | -aa N [flags] [PACKAGES]", gateDoc, stdout)
	p := decide.DefaultPlan
	opts := gate.Options{}
	fs.StringVar(&opts.Base, "base", "", "the git `ref` to compare the work tree against")
	fs.StringVar(&opts.BaseDir, "base-dir", "", "compare against this checkout (`dir`, the directory that corresponds to the current one) instead of -base")
	aa := fs.Int("aa", 0, "run the work tree against itself for `N` decisions and print the false-alarm rate")
	fs.StringVar(&opts.Bench, "bench", ".", "gate the benchmarks matching this `regexp`, as go test -bench")
	fs.StringVar(&opts.Benchtime, "benchtime", gate.DefaultBenchtime, "-test.benchtime of each run")
	fs.IntVar(&opts.Reps, "reps", gate.DefaultReps, "runs a measurement, back to back in one process: it is the fastest")
	fs.DurationVar(&p.Budget, "time", p.Budget, "the gate's time budget, builds included (with -aa: of each decision)")
	fs.IntVar(&p.MinRounds, "min-rounds", p.MinRounds, "rounds before the first look")
	fs.IntVar(&p.Every, "every", p.Every, "rounds between looks")
	fs.IntVar(&p.MaxRounds, "max-rounds", p.MaxRounds, "the most rounds a benchmark gets")
	threshold := fs.Float64("threshold", 100*decide.DefaultThreshold, "the slowdown in `percent` the gate is built to catch; the floor is 0.3 of it")
	fs.Float64Var(&p.Alpha, "alpha", p.Alpha, "false-discovery rate of the decision")
	fs.StringVar(&opts.Profiles, "profiles", "gate-profiles", "where a failing benchmark's CPU profiles and differential flame graph go (\"\": none)")
	quiet := fs.Bool("quiet", false, "print no progress on stderr")
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	switch {
	case *threshold <= 0 || *threshold >= 1000:
		return usageErrorf("-threshold %v: want a percentage above 0", *threshold)
	case p.Alpha <= 0 || p.Alpha >= 1:
		return usageErrorf("-alpha %v: want a level between 0 and 1", p.Alpha)
	case p.MinRounds < 1 || p.MaxRounds < p.MinRounds || p.Every < 1:
		return usageErrorf("want 1 ≤ -min-rounds ≤ -max-rounds and -every ≥ 1")
	case p.Budget <= 0:
		return usageErrorf("-time %v: must be positive", p.Budget)
	case opts.Reps < 1:
		return usageErrorf("-reps %d: must be at least 1", opts.Reps)
	case *aa < 0 || *aa > 10000:
		return usageErrorf("-aa %d: must be between 1 and 10000", *aa)
	case *aa == 0 && opts.Base == "" && opts.BaseDir == "":
		return usageErrorf("name the base to compare against (-base REF) or ask for an A/A run (-aa N)")
	case *aa > 0 && (opts.Base != "" || opts.BaseDir != ""):
		return usageErrorf("-aa runs the work tree against itself: no -base")
	case opts.Base != "" && opts.BaseDir != "":
		return usageErrorf("-base and -base-dir: give one")
	}
	if _, err := time.ParseDuration(opts.Benchtime); err != nil && !validCount(opts.Benchtime) {
		return usageErrorf("-benchtime %q: want a duration (20ms) or a count (100x)", opts.Benchtime)
	}
	p.Threshold = *threshold / 100
	opts.Plan, opts.Patterns = p, rest
	if !*quiet {
		opts.Progress = stderr
		opts.Plan.Log = stderr
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM)
	defer stop()
	if *aa > 0 {
		res, err := gate.AA(ctx, opts, *aa)
		if err != nil {
			return gateError(err)
		}
		res.Write(stdout)
		return nil
	}
	res, err := gate.Run(ctx, opts)
	if err != nil {
		return gateError(err)
	}
	if res.Write(stdout) {
		return &exitError{1, errors.New("the benchmarks of the work tree are slower, or undecided")}
	}
	return nil
}

func validCount(s string) bool {
	var n int
	_, err := fmt.Sscanf(s, "%dx", &n)
	return err == nil && n > 0
}

func gateError(err error) error {
	if ue, ok := errors.AsType[*gotool.UsageError](err); ok {
		return &exitError{2, ue}
	}
	return err
}
