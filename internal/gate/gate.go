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
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	decide "github.com/conclab/conclab/perf/gate"

	"github.com/conclab/conclab/internal/pprofkit"
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

// A UsageError is bad input: a base that is not a commit, no benchmark to
// gate, a side that does not build. The command exits with status 2.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

func usagef(format string, args ...any) error { return &UsageError{fmt.Sprintf(format, args...)} }

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

// side is one package's test binary on both sides.
type side struct {
	pkg      pkg
	old, new decide.Binary
	hasOld   bool
	why      string // why there is no old binary
}

// runner dispatches each benchmark to its package's binaries.
type runner struct {
	execs map[string]*decide.Exec
	names map[string]string // display name → benchmark name
}

func (r *runner) Run(ctx context.Context, s decide.Side, name string) (float64, error) {
	return r.execs[name].Run(ctx, s, r.names[name])
}

// Run gates the work tree against the base.
func Run(ctx context.Context, opts Options) (*Result, error) {
	start := time.Now()
	opts.defaults()
	if err := checkBench(opts.Bench); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "conclab-gate-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	pkgs, err := opts.packages(ctx)
	if err != nil {
		return nil, err
	}
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
		return nil, usagef("name the base: -base REF")
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

// packages are the work tree's packages with tests.
func (opts *Options) packages(ctx context.Context) ([]pkg, error) {
	all, err := goList(ctx, opts.Dir, opts.Patterns, false)
	if err != nil {
		return nil, err
	}
	var pkgs []pkg
	for _, p := range all {
		if p.HasTests() {
			pkgs = append(pkgs, p)
		}
	}
	if len(pkgs) == 0 {
		return nil, usagef("%s: no test files, so no benchmarks", strings.Join(opts.Patterns, " "))
	}
	return pkgs, nil
}

// build compiles every package's test binary in the work tree and, where
// the package exists there, at the base.
func build(ctx context.Context, opts Options, pkgs []pkg, tmp, baseDir, label string) ([]side, error) {
	var paths []string
	for _, p := range pkgs {
		paths = append(paths, p.ImportPath)
	}
	basePkgs, err := goList(ctx, baseDir, paths, true)
	if err != nil {
		return nil, usagef("-base %s: %v", label, err)
	}
	at := map[string]pkg{}
	for _, p := range basePkgs {
		at[p.ImportPath] = p
	}
	var sides []side
	for i, p := range pkgs {
		s := side{pkg: p}
		s.new = decide.Binary{Path: filepath.Join(tmp, fmt.Sprintf("new-%d.test", i)), Dir: p.Dir}
		if err := buildTest(ctx, opts.Dir, p.ImportPath, s.new.Path); err != nil {
			return nil, usagef("%s does not build in the work tree: %v", p.ImportPath, err)
		}
		switch b, ok := at[p.ImportPath]; {
		case !ok || b.Error != nil:
			s.why = fmt.Sprintf("the base %s has no package %s", label, p.ImportPath)
		case !b.HasTests():
			s.why = fmt.Sprintf("the package has no tests at the base %s", label)
		default:
			s.old = decide.Binary{Path: filepath.Join(tmp, fmt.Sprintf("old-%d.test", i)), Dir: b.Dir}
			if err := buildTest(ctx, baseDir, p.ImportPath, s.old.Path); err != nil {
				return nil, usagef("-base %s: %s does not build: %v", label, p.ImportPath, err)
			}
			s.hasOld = true
		}
		sides = append(sides, s)
	}
	return sides, nil
}

// list finds the benchmarks of each side, names those on one side only,
// and returns the runner of those on both. A benchmark's name is its
// package's import path and its own when more than one package has
// benchmarks.
func (opts *Options) list(ctx context.Context, sides []side, res *Result) (*runner, []string, error) {
	type listed struct {
		e        *decide.Exec
		old, new []string
		oldErr   error
		side     side
	}
	var ls []listed
	withBench := 0
	for _, s := range sides {
		l := listed{e: &decide.Exec{Old: s.old, New: s.new, Benchtime: opts.Benchtime, Reps: opts.Reps}, side: s}
		var err error
		if l.new, _, err = l.e.List(ctx, decide.New, opts.Bench); err != nil {
			return nil, nil, fmt.Errorf("a benchmark of %s fails in the work tree: %w", s.pkg.ImportPath, err)
		}
		if len(l.new) == 0 {
			continue
		}
		withBench++
		if s.hasOld {
			l.old, _, l.oldErr = l.e.List(ctx, decide.Old, opts.Bench)
		}
		ls = append(ls, l)
	}
	if withBench == 0 {
		return nil, nil, usagef("no benchmark matches -bench %q in %s", opts.Bench, strings.Join(opts.Patterns, " "))
	}
	r := &runner{execs: map[string]*decide.Exec{}, names: map[string]string{}}
	var names []string
	for _, l := range ls {
		display := func(n string) string {
			if withBench == 1 {
				return n
			}
			return l.side.pkg.ImportPath + "." + n
		}
		switch {
		case !l.side.hasOld:
			for _, n := range l.new {
				res.NewOnly = append(res.NewOnly, fmt.Sprintf("%s: new side only (%s): not gated", display(n), l.side.why))
			}
			continue
		case l.oldErr != nil:
			for _, n := range l.new {
				res.NewOnly = append(res.NewOnly, fmt.Sprintf("%s: not gated: the base's benchmarks of %s fail, nothing to compare against (%v)", display(n), l.side.pkg.ImportPath, l.oldErr))
			}
			continue
		}
		for _, n := range l.old {
			if !slices.Contains(l.new, n) {
				res.OldOnly = append(res.OldOnly, fmt.Sprintf("%s: old side only (removed or renamed): not gated", display(n)))
			}
		}
		for _, n := range l.new {
			if !slices.Contains(l.old, n) {
				res.NewOnly = append(res.NewOnly, fmt.Sprintf("%s: new side only (added since the base): not gated", display(n)))
				continue
			}
			d := display(n)
			r.execs[d], r.names[d] = l.e, n
			names = append(names, d)
		}
	}
	return r, names, nil
}

// profile runs each failing benchmark once more on each side with a CPU
// profile, ten times as long as a measurement and at least two seconds,
// while the budget lasts, and draws the differential flame graph.
func (opts *Options) profile(ctx context.Context, r *runner, fs []decide.Finding, end time.Time) []string {
	if err := os.MkdirAll(opts.Profiles, 0o755); err != nil {
		opts.logf("gate: profiles: %v\n", err)
		return nil
	}
	long, need := opts.Benchtime, 2*time.Second
	if d, err := time.ParseDuration(opts.Benchtime); err == nil {
		need = max(10*d, 2*time.Second)
		long = need.String()
	}
	var written []string
	for _, f := range fs {
		if f.Verdict != decide.Fail {
			continue
		}
		if time.Until(end) < 2*need+2*time.Second {
			opts.logf("gate: no time left in the budget to profile %s\n", f.Name)
			continue
		}
		slug := strings.NewReplacer("/", "_", " ", "_", ":", "_").Replace(strings.TrimPrefix(f.Name, "Benchmark"))
		var paths []string
		for _, s := range []decide.Side{decide.Old, decide.New} {
			path := filepath.Join(opts.Profiles, slug+"."+s.String()+".pb.gz")
			abs, err := filepath.Abs(path)
			if err == nil {
				err = r.execs[f.Name].Profile(ctx, s, r.names[f.Name], long, abs)
			}
			if err != nil {
				opts.logf("gate: profile of %s, %s side: %v\n", f.Name, s, err)
				break
			}
			paths = append(paths, path)
		}
		if len(paths) < 2 {
			continue
		}
		svg := filepath.Join(opts.Profiles, slug+".diff.svg")
		if err := diffFlame(paths[0], paths[1], svg, f.Name+": base → change"); err != nil {
			opts.logf("gate: flame graph of %s: %v\n", f.Name, err)
		} else {
			paths = append(paths, svg)
		}
		written = append(written, paths...)
	}
	return written
}

func diffFlame(oldPath, newPath, svg, title string) error {
	o, err := pprofkit.ReadProfile(oldPath)
	if err != nil {
		return err
	}
	n, err := pprofkit.ReadProfile(newPath)
	if err != nil {
		return err
	}
	return pprofkit.WriteDiffFlameGraphFile(svg, o, n, title)
}

// Write prints the result: the benchmarks on one side only, one verdict a
// benchmark, where the profiles are, and the last line. It returns whether
// the gate failed: a regression, or too few rounds to decide.
func (res *Result) Write(w io.Writer) (failed bool) {
	for _, l := range res.OldOnly {
		fmt.Fprintln(w, l)
	}
	for _, l := range res.NewOnly {
		fmt.Fprintln(w, l)
	}
	if res.Skipped != "" {
		if len(res.Inconclusive) > 0 {
			fmt.Fprintf(w, "gate: FAIL: %s: raise -time\n", res.Skipped)
			return true
		}
		fmt.Fprintf(w, "gate: SKIPPED: %s\n", res.Skipped)
		return false
	}
	fmt.Fprintf(w, "gate: sampling stopped: %s\n", res.Stopped)
	n := 0
	for _, f := range res.Findings {
		fmt.Fprintln(w, f)
		if f.Verdict == decide.Fail {
			n++
		}
	}
	for _, p := range res.Profiles {
		fmt.Fprintf(w, "gate: wrote %s\n", p)
	}
	r := res.Rule
	switch {
	case n > 0:
		fmt.Fprintf(w, "gate: FAIL: %d of %d benchmarks slower (rule: q ≤ %g and ratio ≥ %.3f; threshold %g%%)\n",
			n, len(res.Findings), r.Alpha, 1+r.Floor(), 100*r.Threshold)
		return true
	case len(res.Inconclusive) > 0:
		fmt.Fprintf(w, "gate: FAIL: inconclusive: %d benchmarks got too few rounds to be significant (%s): raise -time\n",
			len(res.Inconclusive), strings.Join(res.Inconclusive, ", "))
		return true
	}
	fmt.Fprintf(w, "gate: ok: none of %d benchmarks significantly slower by %.0f%% or more (threshold %g%%)\n",
		len(res.Findings), 100*r.Floor(), 100*r.Threshold)
	return false
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// checkBench checks that the pattern is a regexp the test binary accepts.
func checkBench(re string) error {
	if _, err := regexp.Compile(re); err != nil {
		return usagef("-bench %q: %v", re, err)
	}
	return nil
}
