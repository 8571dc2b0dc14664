// Command pycompare runs the article's own Python programs (scripts/python)
// and the Go scenarios that rebuild them, and prints one table: Python
// threads, Python processes, Go goroutines and Go processes side by side,
// each configuration's median wall time with its interval, the speed-up
// from 1 worker to all cores, Go's time per item over Python's, and the
// share of fixed costs; then the article's claims, each judged by package
// internal/verdict: yes, no or inconclusive, with the interval it rests on
// and what it means for Go. It is what `make compare-python` runs (via
// scripts/compare-python, which skips it with a message when there is no
// python3).
//
// Usage:
//
//	go run ./perf/pycompare [-python python3] [-scripts scripts/python] [-reps 5] [-cores N] [-quick]
//
// Every configuration runs -reps times, the configurations interleaved so
// that a burst of load spoils one run of each rather than all of one; each
// run is followed by the same program with no work, whose time is the
// run's fixed costs. Python asyncio's and Go's I/O runs, which sleep and
// barely use a core, run at the same time. Python times itself (interpreter start-up excluded),
// Go times Scenario.Run. A claim's ratio pairs the two runs of each rep
// (verdict.JudgePaired): the median of the reps' ratios, with its interval.
// A rep measured while other programs were busy is left out. A claim is
// inconclusive when the interval of its ratio straddles its threshold,
// when other programs kept the machine busy (see verdict.Load), or when
// the fixed costs could change its verdict: each claim says how they
// enter its ratio (a speed-up, whose both runs start up; a bound on a wall
// time that contains them) and is judged on its runs less their fixed
// costs too (verdict.JudgeFixed). A program that fails or prints something other than its
// JSON line is an "error: …" row; the other rows are still judged.
//
// Exit status: 0 when the comparison ran (whatever the verdicts), 1 when it
// could not, 2 for bad flags (-reps below 1 among them).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"

	"github.com/conclab/conclab/scenarios"
)

func main() {
	scenarios.ServeIfWorker()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// defaultReps is the interleaved runs of each configuration: with 9, the
// 95 % interval of a median lies about between the second and the eighth
// run, so one outlier on either side (a moment of load on a shared
// machine) cannot flip a verdict, as it did with 5 (the interval is then
// the whole range). About 14 s a rep at the full sizes on two cores, 2 min
// 12 s for the nine (the CPU runs take 7 s of it, the waits 4).
const defaultReps = 9

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("pycompare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.StringVar(&o.python, "python", "python3", "the Python interpreter")
	fs.StringVar(&o.scripts, "scripts", "scripts/python", "the directory of the article's programs")
	fs.IntVar(&o.reps, "reps", defaultReps, "interleaved runs of each configuration")
	fs.IntVar(&o.cores, "cores", runtime.NumCPU(), "the worker count of the \"all cores\" runs")
	quick := fs.Bool("quick", false, "a twentieth of the work, for a smoke test (its figures mean little)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "pycompare: unexpected argument %q\n", fs.Arg(0))
		return 2
	case o.reps < 1:
		fmt.Fprintf(stderr, "pycompare: -reps %d: must be at least 1\n", o.reps)
		return 2
	case o.cores < 1:
		fmt.Fprintf(stderr, "pycompare: -cores %d: must be at least 1\n", o.cores)
		return 2
	}
	o.sizes = fullSizes
	if *quick {
		o.sizes = quickSizes
	}
	tab, err := compare(ctx, o, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "pycompare: %v\n", err)
		return 1
	}
	tab.print(stdout, isTerminal(stdout))
	return 0
}

// compare measures every configuration of o and judges the claims.
func compare(ctx context.Context, o options, progress io.Writer) (*table, error) {
	t := &table{o: o, configs: configs(o)}
	if err := measureAll(ctx, t.configs, o.reps, progress); err != nil {
		return nil, err
	}
	t.check()
	return t, nil
}

// isTerminal reports whether w is a terminal, where colour is welcome.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
