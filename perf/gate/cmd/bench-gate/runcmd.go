package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/conclab/conclab/perf/gate"
)

func runCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench-gate run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rule := ruleFlags(fs)
	p := gate.DefaultPlan
	bench := fs.String("bench", "", "the -test.bench `regexp` of the benchmarks to gate (required)")
	benchtime := fs.String("benchtime", "20ms", "-test.benchtime of each run")
	reps := fs.Int("reps", 3, "runs a measurement, back to back in one process: it is the fastest")
	fs.DurationVar(&p.Budget, "time", p.Budget, "the gate's time budget: sampling stops in time to leave a tenth of it for profiles")
	since := fs.Int64("since", 0, "the Unix `time` the budget started (the builds before the run count); 0 is now")
	fs.IntVar(&p.MinRounds, "min-rounds", p.MinRounds, "rounds before the first look")
	fs.IntVar(&p.Every, "every", p.Every, "rounds between looks")
	fs.IntVar(&p.MaxRounds, "max-rounds", p.MaxRounds, "the most rounds a benchmark gets")
	oldDir := fs.String("old-dir", ".", "the `dir` the old binary runs in")
	newDir := fs.String("new-dir", ".", "the `dir` the new binary runs in")
	oldArgs := fs.String("old-args", "", "extra `flags` for the old binary, space-separated")
	newArgs := fs.String("new-args", "", "extra `flags` for the new binary, space-separated")
	outDir := fs.String("out", "", "write every measurement to `dir`/old.txt and new.txt, benchstat's input")
	profDir := fs.String("profiles", "", "write CPU profiles of each failing benchmark, old and new, to `dir`")
	quiet := fs.Bool("q", false, "no progress lines on stderr")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	r, err := rule()
	switch {
	case err != nil:
		fmt.Fprintf(stderr, "bench-gate: %v\n", err)
		return 2
	case fs.NArg() != 2 || *bench == "":
		fmt.Fprintln(stderr, "usage: bench-gate run -bench REGEXP [flags] OLD.test NEW.test")
		return 2
	case p.MinRounds < 1 || p.MaxRounds < p.MinRounds || p.Budget <= 0 || *reps < 1:
		fmt.Fprintln(stderr, "bench-gate: want 1 ≤ -min-rounds ≤ -max-rounds, -time > 0 and -reps ≥ 1")
		return 2
	}
	p.Rule = r
	began := time.Now()
	if *since > 0 {
		began = time.Unix(*since, 0)
	}
	end := began.Add(p.Budget)
	deadline := end.Add(-p.Budget / 10)
	if !*quiet {
		p.Log = stderr
	}
	e := &gate.Exec{
		Old:       gate.Binary{Path: abs(fs.Arg(0)), Dir: *oldDir, Args: strings.Fields(*oldArgs)},
		New:       gate.Binary{Path: abs(fs.Arg(1)), Dir: *newDir, Args: strings.Fields(*newArgs)},
		Benchtime: *benchtime,
		Reps:      *reps,
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	oldNames, header, err := e.List(ctx, gate.Old, *bench)
	if err != nil {
		fmt.Fprintf(stdout, "bench-gate: SKIPPED: the old benchmarks fail, nothing to compare against: %v\n", err)
		return 0
	}
	newNames, _, err := e.List(ctx, gate.New, *bench)
	if err != nil {
		fmt.Fprintf(stdout, "bench-gate: FAIL: a new benchmark fails: %v\n", err)
		return 1
	}
	names, oldOnly, newOnly := common(oldNames, newNames)
	reportOneSided(stdout, oldOnly, newOnly)
	if len(names) == 0 {
		fmt.Fprintf(stdout, "bench-gate: SKIPPED: no benchmark matching %q on both sides, nothing to compare\n", *bench)
		return 0
	}
	if *outDir != "" {
		files, err := record(e, *outDir, header)
		if err != nil {
			fmt.Fprintf(stderr, "bench-gate: %v\n", err)
			return 2
		}
		defer files()
	}
	if p.Budget = time.Until(deadline); p.Budget <= 0 {
		fmt.Fprintln(stdout, "bench-gate: FAIL: inconclusive: the time budget was spent before the first measurement: raise GATE_TIME")
		return 1
	}
	if !*quiet {
		fmt.Fprintf(stderr, "bench-gate: %d benchmarks, up to %d rounds within %v\n", len(names), p.MaxRounds, p.Budget.Round(time.Second))
	}
	start := time.Now()
	out, err := gate.Sample(ctx, e, names, p)
	if err != nil {
		fmt.Fprintf(stdout, "bench-gate: FAIL: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "bench-gate: sampling took %v: %s\n", time.Since(start).Round(100*time.Millisecond), out.Stopped)
	code := report(stdout, out.Findings, out.Inconclusive, r)
	if code == 1 && *profDir != "" {
		profile(ctx, e, out.Findings, *profDir, *benchtime, end, stdout, stderr)
	}
	return code
}

// common returns the names on both sides, in old's order, and those on one
// side only.
func common(old, new []string) (both, oldOnly, newOnly []string) {
	inNew := map[string]bool{}
	for _, n := range new {
		inNew[n] = true
	}
	inOld := map[string]bool{}
	for _, n := range old {
		inOld[n] = true
		if inNew[n] {
			both = append(both, n)
		} else {
			oldOnly = append(oldOnly, n)
		}
	}
	for _, n := range new {
		if !inOld[n] {
			newOnly = append(newOnly, n)
		}
	}
	return both, oldOnly, newOnly
}

// record has e copy its result lines to dir/old.txt and dir/new.txt, each
// starting with header, and returns the function that closes them.
func record(e *gate.Exec, dir, header string) (func(), error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	e.Record = map[gate.Side]io.Writer{}
	var files []*os.File
	for _, side := range []gate.Side{gate.Old, gate.New} {
		f, err := os.Create(filepath.Join(dir, side.String()+".txt"))
		if err != nil {
			return nil, err
		}
		io.WriteString(f, header)
		files = append(files, f)
		e.Record[side] = f
	}
	return func() {
		for _, f := range files {
			f.Close()
		}
	}, nil
}

// profile runs each failing benchmark once more on each side with a CPU
// profile, ten times as long as a run and at least two seconds, while the
// budget lasts, and prints where the profiles are.
func profile(ctx context.Context, e *gate.Exec, fs []gate.Finding, dir, benchtime string, end time.Time, stdout, stderr io.Writer) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintf(stderr, "bench-gate: profiles: %v\n", err)
		return
	}
	long, need := benchtime, 2*time.Second
	if d, err := time.ParseDuration(benchtime); err == nil {
		need = max(10*d, 2*time.Second)
		long = need.String()
	}
	for _, f := range fs {
		if f.Verdict != gate.Fail {
			continue
		}
		if time.Until(end) < 2*need+5*time.Second { // and a few seconds for the table and flame graphs

			fmt.Fprintf(stdout, "bench-gate: no time left in the budget to profile %s\n", f.Name)
			continue
		}
		slug := strings.NewReplacer("/", "_", " ", "_").Replace(strings.TrimPrefix(f.Name, "Benchmark"))
		var paths []string
		for _, side := range []gate.Side{gate.Old, gate.New} {
			path := filepath.Join(dir, slug+"."+side.String()+".pb.gz")
			if err := e.Profile(ctx, side, f.Name, long, abs(path)); err != nil {
				fmt.Fprintf(stderr, "bench-gate: profile of %s, %s side: %v\n", f.Name, side, err)
				return
			}
			paths = append(paths, path)
		}
		fmt.Fprintf(stdout, "bench-gate: profiles of %s: %s %s\n", f.Name, paths[0], paths[1])
	}
}

func abs(path string) string {
	if a, err := filepath.Abs(path); err == nil {
		return a
	}
	return path
}
