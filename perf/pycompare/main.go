// Command pycompare runs the article's own Python programs (scripts/python)
// and the Go scenarios that rebuild them on the same work, and prints one
// table: Python threads, Python processes, Go goroutines and Go processes
// side by side, with the wall time, the speed-up from 1 worker to all cores
// and the Go/Python ratio; then the article's claims, each checked against
// the table. It is what `make compare-python` runs (via
// scripts/compare-python, which skips it with a message when there is no
// python3).
//
// Usage:
//
//	go run ./perf/pycompare [-python python3] [-scripts scripts/python] [-reps 3] [-quick]
//
// Every time is the best of -reps runs, Python timing itself (interpreter
// start-up excluded) and Go timing Scenario.Run: the machine is shared and
// the best run is the one least disturbed. The figures are still noisy.
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

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("pycompare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.StringVar(&o.python, "python", "python3", "the Python interpreter")
	fs.StringVar(&o.scripts, "scripts", "scripts/python", "the directory of the article's programs")
	fs.IntVar(&o.reps, "reps", 3, "runs of each program; the best is kept")
	fs.IntVar(&o.cores, "cores", runtime.NumCPU(), "the worker count of the \"all cores\" runs")
	quick := fs.Bool("quick", false, "a tenth of the work, for a smoke test")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 || o.reps < 1 || o.cores < 1 {
		fmt.Fprintln(stderr, "pycompare: usage: pycompare [-python python3] [-scripts DIR] [-reps N] [-cores N] [-quick]")
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
	tab.print(stdout)
	return 0
}
