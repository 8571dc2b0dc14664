package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/conclab/conclab/perf/gate"
)

func compareCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench-gate compare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rule := ruleFlags(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 2 {
		fmt.Fprintln(stderr, "usage: bench-gate compare [-threshold PCT] OLD.txt NEW.txt")
		return 2
	}
	r, err := rule()
	if err != nil {
		fmt.Fprintf(stderr, "bench-gate: %v\n", err)
		return 2
	}
	var sides [2][]gate.Result
	for i, name := range fs.Args() {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintf(stderr, "bench-gate: %v\n", err)
			return 2
		}
		sides[i], err = gate.ParseBench(f)
		f.Close()
		if err != nil {
			fmt.Fprintf(stderr, "bench-gate: %s: %v\n", name, err)
			return 2
		}
		if len(sides[i]) == 0 {
			fmt.Fprintf(stderr, "bench-gate: %s: no benchmark results\n", name)
			return 2
		}
	}
	series, oldOnly, newOnly := gate.Pair(sides[0], sides[1])
	reportOneSided(stdout, oldOnly, newOnly)
	if len(series) == 0 {
		fmt.Fprintln(stdout, "bench-gate: SKIPPED: no benchmark on both sides, nothing to compare")
		return 0
	}
	return report(stdout, gate.Assess(series, r, true), nil, r)
}

// ruleFlags registers -threshold and -alpha and returns the rule they set.
func ruleFlags(fs *flag.FlagSet) func() (gate.Rule, error) {
	pct := fs.Float64("threshold", 100*gate.DefaultThreshold, "the slowdown in `percent` the gate is built to catch; the floor is 0.3 of it")
	alpha := fs.Float64("alpha", gate.DefaultRule.Alpha, "false-discovery rate of the decision")
	return func() (gate.Rule, error) {
		r := gate.DefaultRule
		if *pct <= 0 || *pct >= 1000 {
			return r, fmt.Errorf("-threshold %v: want a percentage above 0", *pct)
		}
		if *alpha <= 0 || *alpha >= 1 {
			return r, fmt.Errorf("-alpha %v: want a level between 0 and 1", *alpha)
		}
		r.Threshold, r.Alpha = *pct/100, *alpha
		return r, nil
	}
}

func reportOneSided(w io.Writer, oldOnly, newOnly []string) {
	for _, n := range oldOnly {
		fmt.Fprintf(w, "%s: old side only (removed or renamed): not gated\n", n)
	}
	for _, n := range newOnly {
		fmt.Fprintf(w, "%s: new side only (added): not gated\n", n)
	}
}

// report prints the findings and the last line, and returns the exit status.
func report(w io.Writer, fs []gate.Finding, inconclusive []string, r gate.Rule) int {
	failed := 0
	for _, f := range fs {
		fmt.Fprintln(w, f)
		if f.Verdict == gate.Fail {
			failed++
		}
	}
	switch {
	case failed > 0:
		fmt.Fprintf(w, "bench-gate: FAIL: %d of %d benchmarks slower (rule: q ≤ %g and ratio ≥ %.3f; threshold %g%%)\n",
			failed, len(fs), r.Alpha, 1+r.Floor(), 100*r.Threshold)
		return 1
	case len(inconclusive) > 0:
		fmt.Fprintf(w, "bench-gate: FAIL: inconclusive: %d benchmarks got too few rounds to be significant (%v): raise GATE_TIME\n",
			len(inconclusive), inconclusive)
		return 1
	}
	fmt.Fprintf(w, "bench-gate: ok: none of %d benchmarks significantly slower by %.0f%% or more (threshold %g%%)\n",
		len(fs), 100*r.Floor(), 100*r.Threshold)
	return 0
}
