package scale

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

	"github.com/conclab/conclab/internal/gotool"
	"github.com/conclab/conclab/internal/pprofkit"
)

// Profiling rates of the children. Every contended unlock is too costly to
// record in a benchmark that contends on purpose, and every blocking event
// too costly in one that hands work over channels; the runtime scales
// sampled events back up, so the waits stay unbiased.
const (
	MutexProfileFraction = 5     // one contention event in 5
	BlockProfileRate     = 10000 // ns: events shorter than 10 µs are sampled
)

// SampledEvents says which events the mutex and block profiles sample, as
// the report's legend and conclab scale -h print it: "1 contention in 5",
// "events under 10 µs".
func SampledEvents() (mutex, block string) {
	return fmt.Sprintf("1 contention in %d", MutexProfileFraction), fmt.Sprintf("events under %d µs", BlockProfileRate/1000)
}

// Options configure [Run].
type Options struct {
	// Dir is where the package patterns are resolved: the user's module.
	Dir string
	// Packages are go list patterns; none means ".".
	Packages []string
	// Bench selects benchmarks as go test -bench does.
	Bench string
	// Procs are the GOMAXPROCS values, each run in its own child.
	Procs []int
	// Count and Benchtime are passed to each child as -test.count and
	// -test.benchtime.
	Count     int
	Benchtime string
	// Timeout bounds each child (-test.timeout); 0 means none.
	Timeout time.Duration
	// Out is the output directory.
	Out string
	// Base is a git ref to measure too, from a temporary worktree.
	Base string
	// Args are recorded in the results, for the report's head.
	Args []string
	// Progress receives one line per step, with an estimate of the time
	// left; nil prints nothing.
	Progress io.Writer
}

// Run measures the benchmarks Options select at every core count, writes
// OUT/scale.json beside the profiles and flame graphs, and returns the
// results; the caller renders the report ([NewReport], [Report.Write]).
// Each package's test binary is built once, into a temporary directory;
// each (benchmark, core count) runs in its own child process in the
// package's directory.
// A benchmark that fails at some core count is recorded as failed there
// ([Results.Failed]) and the others go on. Bad input (no packages, no
// benchmark matching, an unknown base ref) returns a [*gotool.UsageError].
func Run(ctx context.Context, opts Options) (*Results, error) {
	if len(opts.Packages) == 0 {
		opts.Packages = []string{"."}
	}
	if opts.Bench == "" {
		opts.Bench = "."
	}
	if _, err := regexp.Compile(topLevel(opts.Bench)); err != nil {
		return nil, gotool.Usagef("-bench %q: %v", opts.Bench, err)
	}
	if len(opts.Procs) == 0 {
		opts.Procs = []int{1}
	}
	opts.Count = max(opts.Count, 1)
	res := &Results{
		Machine: pprofkit.ThisMachine(), Date: time.Now().UTC(), LoadAverage: pprofkit.LoadAverage(), Args: opts.Args,
		dir: opts.Out,
	}
	var wt *gotool.Worktree
	if opts.Base != "" {
		var err error
		if wt, err = addWorktree(ctx, opts.Dir, opts.Base); err != nil {
			return nil, err
		}
		defer wt.Remove()
		res.BaseRef, res.BaseCommit = opts.Base, wt.Commit
	}
	bins, err := os.MkdirTemp("", "conclab-scale-bin-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(bins)

	m := &measurer{opts: opts, bins: bins}
	head, err := m.prepare(ctx, opts.Dir, "")
	if err != nil {
		return nil, err
	}
	var base []*job
	if wt != nil {
		if base, err = m.prepare(ctx, wt.Cwd, "base"); err != nil {
			return nil, fmt.Errorf("at -base %s: %w", opts.Base, err)
		}
	}
	if len(head) == 0 {
		return nil, gotool.Usagef("no benchmark matches -bench %q in %s", opts.Bench, strings.Join(opts.Packages, " "))
	}
	m.total = (len(head) + len(base)) * len(opts.Procs)
	m.start = time.Now()
	if res.Benchmarks, err = m.runAll(ctx, head); err != nil {
		return nil, err
	}
	if res.Base, err = m.runAll(ctx, base); err != nil {
		return nil, err
	}
	if err := writeDiffFlames(res, opts.Out); err != nil {
		return nil, err
	}
	if err := res.Write(opts.Out); err != nil {
		return nil, err
	}
	return res, nil
}

// job is one benchmark of one package, to run at every core count.
type job struct {
	bin, pkgDir string
	bench       *Benchmark
}

// measurer runs the children and reports progress.
type measurer struct {
	opts        Options
	bins        string
	total, done int
	start       time.Time
	dirs        map[string]bool
}

// prepare builds the test binaries of the packages in cwd and lists the
// benchmarks to run; sub puts their profiles under OUT/sub.
func (m *measurer) prepare(ctx context.Context, cwd, sub string) ([]*job, error) {
	pkgs, err := goList(ctx, cwd, m.opts.Packages)
	if err != nil {
		return nil, err
	}
	pkgs = slices.DeleteFunc(pkgs, func(p *gotool.Package) bool { return !p.HasTests() })
	if len(pkgs) == 0 {
		return nil, gotool.Usagef("%s: no test files, so no benchmarks", strings.Join(m.opts.Packages, " "))
	}
	binDir := filepath.Join(m.bins, sub)
	if err := os.MkdirAll(binDir, 0o755); err != nil {
		return nil, err
	}
	if m.dirs == nil {
		m.dirs = map[string]bool{}
	}
	var jobs []*job
	for _, p := range pkgs {
		m.progress("building %s", p.ImportPath)
		bin, err := buildTest(ctx, p, binDir)
		if err != nil {
			return nil, err
		}
		names, err := m.discover(ctx, bin, p.Dir)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.ImportPath, err)
		}
		for _, name := range names {
			dir := filepath.Join(sub, slug(p.ImportPath, name))
			for i := 2; m.dirs[dir]; i++ {
				dir = filepath.Join(sub, fmt.Sprintf("%s-%d", slug(p.ImportPath, name), i))
			}
			m.dirs[dir] = true
			jobs = append(jobs, &job{bin: bin, pkgDir: p.Dir, bench: &Benchmark{Package: p.ImportPath, Name: name, Dir: filepath.ToSlash(dir)}})
		}
	}
	return jobs, nil
}

// discover lists the leaf benchmarks matching -bench: a first child runs
// each once (-test.benchtime=1x at GOMAXPROCS 1) and prints their full
// names. A top-level benchmark whose discovery failed is kept whole, so
// that its failure is reported at every core count.
func (m *measurer) discover(ctx context.Context, bin, dir string) ([]string, error) {
	out, _, err := m.child(ctx, bin, dir, "-test.list", topLevel(m.opts.Bench))
	if err != nil {
		return nil, fmt.Errorf("listing benchmarks: %v", err)
	}
	var tops []string
	for l := range strings.SplitSeq(string(out), "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, "Benchmark") {
			tops = append(tops, l)
		}
	}
	if len(tops) == 0 {
		return nil, nil
	}
	out, _, runErr := m.child(ctx, bin, dir, "-test.run=^$", "-test.bench="+m.opts.Bench, "-test.benchtime=1x", "-test.cpu=1")
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	lines, _ := parseOutput(out, 1)
	var names []string
	for _, l := range lines {
		if !slices.Contains(names, l.Name) {
			names = append(names, l.Name)
		}
	}
	if runErr != nil {
		for _, t := range tops {
			if !slices.ContainsFunc(names, func(n string) bool { return n == t || strings.HasPrefix(n, t+"/") }) {
				names = append(names, t)
			}
		}
	}
	return names, nil
}

// runAll runs every job at every core count.
func (m *measurer) runAll(ctx context.Context, jobs []*job) ([]*Benchmark, error) {
	var out []*Benchmark
	for _, j := range jobs {
		dir := filepath.Join(m.opts.Out, filepath.FromSlash(j.bench.Dir))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		for _, n := range m.opts.Procs {
			m.progress("%s %s -cpu %d", shortPkg(j.bench.Package), j.bench.Name, n)
			p, err := m.runPoint(ctx, j, dir, n)
			if err != nil {
				return nil, err
			}
			j.bench.Points = append(j.bench.Points, p)
			m.done++
		}
		out = append(out, j.bench)
	}
	return out, nil
}

// progress prints a step with the time left, estimated from the children
// run so far.
func (m *measurer) progress(format string, args ...any) {
	if m.opts.Progress == nil {
		return
	}
	what := fmt.Sprintf(format, args...)
	if m.total == 0 {
		fmt.Fprintf(m.opts.Progress, "%s …\n", what)
		return
	}
	left := "estimating time left"
	if m.done > 0 {
		per := time.Since(m.start) / time.Duration(m.done)
		left = "about " + (per * time.Duration(m.total-m.done)).Round(time.Second).String() + " left"
	}
	fmt.Fprintf(m.opts.Progress, "[%d/%d] %s … (%s)\n", m.done+1, m.total, what, left)
}

// slug names a benchmark's directory: the package's last element and the
// benchmark's name, with every character outside [A-Za-z0-9._=-] as "_".
func slug(importPath, name string) string {
	s := shortPkg(importPath) + "." + strings.TrimPrefix(name, "Benchmark")
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '=', r == '-':
			return r
		}
		return '_'
	}, s)
}

func shortPkg(importPath string) string {
	return importPath[strings.LastIndexByte(importPath, '/')+1:]
}

// DefaultProcs is 1, 2, 4, … below cores, cores itself, and the next
// power of two past it: the last point shows what more GOMAXPROCS than
// cores does.
func DefaultProcs(cores int) []int {
	cores = max(cores, 1)
	var ns []int
	for n := 1; n < cores; n *= 2 {
		ns = append(ns, n)
	}
	next := 1
	for next <= cores {
		next *= 2
	}
	return append(ns, cores, next)
}
