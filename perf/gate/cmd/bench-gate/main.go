// Command bench-gate fails when a benchmark comparison shows a significant
// regression beyond a threshold. It reads the output of
// `go tool benchstat -format csv OLD NEW` from a file or from stdin ("-"),
// prints one line per benchmark measured by time or rate, and exits with
// status 1 if any is a regression, 2 on a usage error, 0 otherwise.
//
// Usage:
//
//	bench-gate [-threshold PCT] [FILE|-]
//
// The threshold is a percentage (default 10, or $BENCH_GATE_THRESHOLD).
// scripts/bench-gate runs benchstat and then this command; see package
// github.com/conclab/conclab/perf/gate for the rule.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/conclab/conclab/perf/gate"
)

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench-gate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	def := 100 * gate.DefaultThreshold
	if env := os.Getenv("BENCH_GATE_THRESHOLD"); env != "" {
		v, err := strconv.ParseFloat(env, 64)
		if err != nil || v < 0 {
			fmt.Fprintf(stderr, "bench-gate: BENCH_GATE_THRESHOLD=%q: must be a percentage ≥ 0\n", env)
			return 2
		}
		def = v
	}
	pct := fs.Float64("threshold", def, "fail on a significant slowdown of more than this `percent`")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *pct < 0 {
		fmt.Fprintf(stderr, "bench-gate: -threshold %v: must be a percentage ≥ 0\n", *pct)
		return 2
	}
	if fs.NArg() > 1 {
		fmt.Fprintf(stderr, "bench-gate: %d arguments: want one benchstat csv file or -\n", fs.NArg())
		return 2
	}
	in := stdin
	if name := fs.Arg(0); name != "" && name != "-" {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintf(stderr, "bench-gate: %v\n", err)
			return 2
		}
		defer f.Close()
		in = f
	}
	rows, err := gate.ParseCSV(in)
	if err != nil {
		fmt.Fprintf(stderr, "bench-gate: %v\n", err)
		return 2
	}
	findings, failed := gate.Decide(rows, *pct/100)
	significant := 0
	for _, f := range findings {
		fmt.Fprintln(stdout, f)
		if f.Significant() {
			significant++
		}
	}
	switch {
	case len(findings) == 0:
		fmt.Fprintln(stdout, "bench-gate: no benchmark in both files measured by time or rate: nothing to gate")
	case failed:
		fmt.Fprintf(stdout, "bench-gate: FAIL: a significant slowdown beyond %v%%\n", *pct)
		return 1
	default:
		fmt.Fprintf(stdout, "bench-gate: ok: no significant slowdown beyond %v%% (%d of %d differences significant)\n", *pct, significant, len(findings))
	}
	return 0
}
