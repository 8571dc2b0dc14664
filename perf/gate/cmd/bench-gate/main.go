// Command bench-gate decides whether a change made benchmarks slower; the
// statistics and the rule are package github.com/conclab/conclab/perf/gate's.
//
// Usage:
//
//	bench-gate run [flags] OLD.test NEW.test
//	bench-gate compare [-threshold PCT] OLD.txt NEW.txt
//	bench-gate power [-runs N] [-scales 1,1.05,...] OLD.test NEW.test
//
// run measures: it runs the two test binaries (built with go test -c)
// alternately, one benchmark at a time, sampling until every answer is
// clear or the time budget is spent (scripts/bench-compare builds the
// binaries and calls it). compare decides on two `go test -bench` outputs
// already written, pairing the i-th result of each benchmark in OLD with
// its i-th in NEW (scripts/bench-gate). power measures the gate: it runs
// whole decisions again and again on perf's BenchmarkCalibrate with the new
// side's work scaled up by known factors, and prints how often each failed
// (make gate-power).
//
// Both print one line per benchmark (verdict, ratio new/old with its 95 %
// confidence interval, p and q, the number of pairs and the rule that
// decided) and a last line, and exit with status 1 when a benchmark is a
// regression, when a benchmark fails on the new side, or when the budget
// left too few rounds to decide; 2 on a usage error; 0 otherwise, including
// when there is nothing to compare (the last line says why the gate was
// skipped).
package main

import (
	"fmt"
	"io"
	"os"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: bench-gate run|compare|power [flags] OLD NEW")
		return 2
	}
	switch args[0] {
	case "run":
		return runCmd(args[1:], stdout, stderr)
	case "compare":
		return compareCmd(args[1:], stdout, stderr)
	case "power":
		return powerCmd(args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "bench-gate: unknown command %q: want run, compare or power\n", args[0])
	return 2
}
