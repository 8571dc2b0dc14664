package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/conclab/conclab/internal/pprofkit"
	"github.com/conclab/conclab/internal/scale"

	"github.com/conclab/conclab/internal/gotool"
)

var scaleDoc = fmt.Sprintf(`Measure how a package's own benchmarks scale across cores, and why they
stop. Run it from inside any Go module; PACKAGES are go list patterns
(default "."). Each package's test binary is built once, in a temporary
directory; each (benchmark, GOMAXPROCS n) then runs in its own child process
with -test.cpuprofile, -test.mutexprofile (%s) and
-test.blockprofile (%s sampled) and -test.benchmem. Nothing
is written outside -out:

	OUT/scale.json                      the results (merge runs with -merge)
	OUT/report.md, OUT/report.html      the report
	OUT/speedup-<pkg>.<bench>.svg       speed-up chart with the ideal line and the USL fit
	OUT/<pkg>.<bench>/cpu-<n>.pb.gz     profiles (mutex-<n>, block-<n>) and flame graphs (cpu-<n>.svg)
	OUT/base/...                        with -base: the same at the base ref

Per benchmark and n the report gives ns/op, speed-up and efficiency
against n = 1, effective parallelism from the CPU profile, the shares of CPU
in GC, scheduler and locking, mutex and block wait per op with the top call
site, an account of the lost throughput (idle cores by what the goroutines
waited on, CPU per op that grew by where it went) and a verdict, its largest
part: contention, channel, sync, serial, waiting, gc, scheduler, memory,
idle, scales or inconclusive (the report's legend gives the rule and its
thresholds); and a fit of the Universal Scalability Law. With -base REF the benchmarks also run at
REF, checked out with 'git worktree add' in a temporary directory (the work
tree, dirty or not, is the head) and compared as benchstat does.

	conclab scale ./...
	conclab scale -bench 'Cache' -cpu 1,2,4,8 -count 6 ./cache
	conclab scale -base main -count 6 ./...
	conclab scale -merge -out merged laptop/scale-report ci/scale-report

Exit status: 0 when every benchmark ran at every n, 1 when one failed at
some n (it is reported and the others kept), 2 for bad input.`, mutexSampled, blockSampled)

var mutexSampled, blockSampled = scale.SampledEvents()

func runScale(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("scale", "[flags] [PACKAGES]", scaleDoc, stdout)
	bench := fs.String("bench", ".", "run the benchmarks matching this regexp, as go test -bench")
	cpus := fs.String("cpu", joinInts(scale.DefaultProcs(runtime.NumCPU())), "comma-separated GOMAXPROCS values: 1, 2, 4, … the cores, and one step past them")
	count := fs.Int("count", 1, "run each benchmark this many times at each n (6 or more for a -base comparison)")
	benchtime := fs.String("benchtime", "1s", "run each benchmark for this long, or Nx times, as go test -benchtime")
	out := fs.String("out", "scale-report", "output directory (created; earlier results in it are replaced)")
	base := fs.String("base", "", "also run the benchmarks at this git ref, from a temporary worktree, and compare")
	timeout := fs.Duration("timeout", 10*time.Minute, "limit on each child process, as go test -timeout (0: none)")
	merge := fs.Bool("merge", false, "run nothing: merge the scale.json results found under the DIRs given instead of PACKAGES into one report in -out")
	quiet := fs.Bool("quiet", false, "print no progress on stderr")
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if *merge {
		if err := pprofkit.CheckWritable(*out); err != nil {
			return usageErrorf("-out: %v", err)
		}
		if len(rest) == 0 {
			return usageErrorf("-merge: give the directories of the runs to merge")
		}
		runs, err := scale.ReadResults(rest...)
		if err != nil {
			return usageErrorf("-merge: %v", err)
		}
		return writeScaleReport(*out, runs, stdout, stderr, *quiet)
	}
	procs, err := parseCPUList(*cpus)
	if err != nil {
		return err
	}
	if *count < 1 || *count > 1000 {
		return usageErrorf("-count %d: must be between 1 and 1000", *count)
	}
	if err := checkBenchtime(*benchtime); err != nil {
		return err
	}
	if _, err := regexp.Compile(*bench); err != nil {
		return usageErrorf("-bench %q: %v", *bench, err)
	}
	_, statErr := os.Stat(*out)
	if err := pprofkit.CheckWritable(*out); err != nil {
		return usageErrorf("-out: %v", err)
	}
	if errors.Is(statErr, os.ErrNotExist) {
		// Created for this run: removed again if the run writes nothing.
		defer os.Remove(*out)
	}
	cwd, err := os.Getwd()
	if err != nil {
		return err
	}
	absOut, err := filepath.Abs(*out)
	if err != nil {
		return err
	}
	opts := scale.Options{
		Dir: cwd, Packages: rest, Bench: *bench, Procs: procs, Count: *count, Benchtime: *benchtime,
		Timeout: *timeout, Out: absOut, Base: *base, Args: append([]string{"conclab", "scale"}, args...),
	}
	if !*quiet {
		opts.Progress = stderr
		if *base != "" && *count < 6 {
			fmt.Fprintf(stderr, "note: -count %d gives the comparison with -base little power (its Mann–Whitney test cannot reach p < 0.05 with fewer than 4 runs a side; 6 or more give a confidence interval too)\n", *count)
		}
	}
	res, err := scale.Run(ctx, opts)
	if err != nil {
		if ue, ok := errors.AsType[*gotool.UsageError](err); ok {
			return usageErrorf("%v", ue)
		}
		if ctx.Err() != nil {
			return &exitError{130, fmt.Errorf("interrupted: no report written")}
		}
		return err
	}
	// Only this run: results merged into -out earlier stay out of its report.
	runs := []*scale.Results{res}
	if err := writeScaleReport(absOut, runs, stdout, stderr, *quiet); err != nil {
		return err
	}
	if res.Failed() {
		return &exitError{1, errors.New("some benchmarks failed at some core counts; see the report")}
	}
	return nil
}

func writeScaleReport(out string, runs []*scale.Results, stdout, stderr io.Writer, quiet bool) error {
	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	r := scale.NewReport(abs, runs)
	if err := r.Write(); err != nil {
		return err
	}
	if err := r.WriteSummary(stdout); err != nil {
		return err
	}
	if !quiet {
		fmt.Fprintf(stderr, "report: %s, %s\n", filepath.Join(out, "report.md"), filepath.Join(out, "report.html"))
	}
	return nil
}

// checkBenchtime accepts what testing accepts: a duration or Nx.
func checkBenchtime(s string) error {
	if n, ok := strings.CutSuffix(s, "x"); ok {
		if v, err := strconv.Atoi(n); err == nil && v > 0 {
			return nil
		}
		return usageErrorf("-benchtime %q: want a positive count such as 100x", s)
	}
	if d, err := time.ParseDuration(s); err != nil || d <= 0 {
		return usageErrorf("-benchtime %q: want a positive duration such as 1s, or a count such as 100x", s)
	}
	return nil
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ",")
}
