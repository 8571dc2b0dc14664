package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/conclab/conclab/perf/gate"
)

// powerTargets are the fail rates the gate aims for, by injected slowdown.
var powerTargets = map[string]string{"0": "≤ 5 %", "5": "≥ 50 %", "10": "≥ 90 %"}

// powerCmd measures the gate itself: it runs the whole decision runs times
// for each scale of the new side's work (-gate.scale, read by perf's
// BenchmarkCalibrate), the scales taking turns so that a change in the
// machine's load spreads over all of them, and prints the share of
// decisions that failed for each as a Markdown table.
func powerCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench-gate power", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rule := ruleFlags(fs)
	p := gate.DefaultPlan
	bench := fs.String("bench", "^BenchmarkCalibrate$", "the -test.bench `regexp` of the calibration benchmark")
	benchtime := fs.String("benchtime", "10ms", "-test.benchtime of each run")
	reps := fs.Int("reps", 3, "runs a measurement, back to back in one process: it is the fastest")
	fs.DurationVar(&p.Budget, "time", 20*time.Second, "the time budget of one decision")
	fs.IntVar(&p.MinRounds, "min-rounds", p.MinRounds, "rounds before the first look")
	fs.IntVar(&p.Every, "every", p.Every, "rounds between looks")
	fs.IntVar(&p.MaxRounds, "max-rounds", p.MaxRounds, "the most rounds a benchmark gets")
	runs := fs.Int("runs", 20, "decisions per slowdown")
	scales := fs.String("scales", "1,1.05,1.10,1.20,1.50", "the new side's -gate.scale values, comma-separated (1 is A/A)")
	dir := fs.String("dir", ".", "the `dir` both binaries run in")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	r, err := rule()
	if err != nil {
		fmt.Fprintf(stderr, "bench-gate: %v\n", err)
		return 2
	}
	var factors []float64
	for _, s := range strings.Split(*scales, ",") {
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || f <= 0 {
			fmt.Fprintf(stderr, "bench-gate: -scales: %q is not a positive factor\n", s)
			return 2
		}
		factors = append(factors, f)
	}
	if fs.NArg() != 2 || *runs < 1 || *reps < 1 {
		fmt.Fprintln(stderr, "usage: bench-gate power [-runs N] [-scales 1,1.1,...] OLD.test NEW.test")
		return 2
	}
	p.Rule = r
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	type tally struct {
		failed, inconclusive int
		rounds               []int
		took                 []time.Duration
	}
	tallies := make([]tally, len(factors))
	start := time.Now()
	for run := 1; run <= *runs; run++ {
		for i, f := range factors {
			e := &gate.Exec{
				Old:       gate.Binary{Path: abs(fs.Arg(0)), Dir: *dir, Args: []string{"-gate.scale=1"}},
				New:       gate.Binary{Path: abs(fs.Arg(1)), Dir: *dir, Args: []string{"-gate.scale=" + strconv.FormatFloat(f, 'f', -1, 64)}},
				Benchtime: *benchtime,
				Reps:      *reps,
			}
			names, _, err := e.List(ctx, gate.New, *bench)
			if err == nil && len(names) != 1 {
				err = fmt.Errorf("-bench %q matches %d benchmarks, want the one calibration benchmark", *bench, len(names))
			}
			if err != nil {
				fmt.Fprintf(stderr, "bench-gate: %v\n", err)
				return 1
			}
			t0 := time.Now()
			out, err := gate.Sample(ctx, e, names, p)
			if err != nil {
				fmt.Fprintf(stderr, "bench-gate: %v\n", err)
				return 1
			}
			t := &tallies[i]
			t.took = append(t.took, time.Since(t0))
			t.rounds = append(t.rounds, out.Series[0].Pairs())
			switch {
			case out.Failed():
				t.failed++
			case len(out.Inconclusive) > 0:
				t.inconclusive++
			}
			fmt.Fprintf(stderr, "bench-gate: run %d/%d, slowdown %s: %s\n", run, *runs, pctOf(f), out.Findings[0])
		}
	}
	fmt.Fprintf(stdout, "| injected slowdown | runs | gate failed | target | inconclusive | median rounds | median time a decision |\n")
	fmt.Fprintf(stdout, "|---|---|---|---|---|---|---|\n")
	for i, f := range factors {
		t := tallies[i]
		target := powerTargets[pctOf(f)]
		if target == "" {
			target = "—"
		}
		label := pctOf(f) + " %"
		if f == 1 {
			label = "0 % (A/A)"
		}
		fmt.Fprintf(stdout, "| %s | %d | %d (%.0f %%) | %s | %d | %d | %v |\n", label, *runs, t.failed,
			100*float64(t.failed)/float64(*runs), target, t.inconclusive, medianOf(t.rounds), medianOf(t.took).Round(100*time.Millisecond))
	}
	fmt.Fprintf(stdout, "\nthreshold %g %% (floor %g %%), α = %g, a measurement the fastest of %d runs of %s, budget %v a decision; %d decisions in %v\n",
		100*r.Threshold, 100*r.Floor(), r.Alpha, *reps, *benchtime, p.Budget, *runs*len(factors), time.Since(start).Round(time.Second))
	return 0
}

// pctOf is the slowdown of a scale in percent, to a tenth: 1.05 is "5".
func pctOf(scale float64) string {
	return strconv.FormatFloat(math.Round(1000*(scale-1))/10, 'f', -1, 64)
}

func medianOf[T int | time.Duration](xs []T) T {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}
