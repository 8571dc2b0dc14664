package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/conclab/conclab/internal/pprofkit"
	"github.com/conclab/conclab/internal/profiling"
	"github.com/conclab/conclab/scenarios"
)

const profileDoc = `Record, for every scenario and every GOMAXPROCS n, a CPU profile of a fixed
amount of the scenario's work (with the mutex and block profiles for Sync
scenarios, and a goroutine profile at the peak for IO scenarios), then read
them back and write the report:

	OUT/<scenario>/cpu-<n>.pb.gz, cpu-<n>.svg (flame graph), run-<n>.json
	OUT/<scenario>/mutex-<n>.pb.gz, block-<n>.pb.gz    (Sync scenarios)
	OUT/<scenario>/goroutine-<n>.pb.gz                 (IO scenarios)
	OUT/report.md, OUT/report.html, OUT/speedup-<scenario>.svg

Each recording repeats the scenario until at least 0.4 s × -work have
passed, so that its profile has samples; wall times are per round. A
scenario's earlier recordings are replaced once all its new ones are
complete (an interrupted run leaves them as they were); those of other
scenarios stay in OUT and appear in the report, marked as from an earlier
run, unless -fresh removes them first. Progress goes to stderr, the
scaling table to stdout. Open a profile interactively with
'go tool pprof -http=:0 FILE'; 'conclab report' rebuilds the report from
profiles on disk (see package internal/profiling).`

// maxWork bounds -work.
const maxWork = 100

func runProfile(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("profile", "[flags]", profileDoc, stdout)
	names := fs.String("scenario", "", "comma-separated scenarios to record (default: all of 'conclab list')")
	cpus := fs.String("cpu", defaultCPUList(), "comma-separated GOMAXPROCS values to record at")
	work := fs.Float64("work", 1, "scale of each scenario's work (and of the least wall time of a recording)")
	out := fs.String("out", "profiles", "output directory")
	quiet := fs.Bool("quiet", false, "print no progress on stderr")
	fresh := fs.Bool("fresh", false, "remove every earlier recording in -out first, so that the report holds this run only")
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageErrorf("unexpected argument %q", rest[0])
	}
	list, err := parseScenarios(*names)
	if err != nil {
		return err
	}
	procs, err := parseCPUList(*cpus)
	if err != nil {
		return err
	}
	if math.IsNaN(*work) || *work <= 0 || *work > maxWork {
		return usageErrorf("-work %v: must be greater than 0 and at most %d", *work, maxWork)
	}
	if err := pprofkit.CheckWritable(*out); err != nil {
		return usageErrorf("-out: %v", err)
	}

	current := ""
	opts := profiling.Options{
		Dir:       *out,
		Scenarios: list,
		Procs:     procs,
		Work:      *work,
		Progress: func(step, steps int, what string) {
			current = fmt.Sprintf("[%d/%d] %s", step, steps, what)
			if !*quiet {
				fmt.Fprintf(stderr, "%s …\n", current)
			}
		},
		Recorded: func(run *profiling.Run, dir string, cpu pprofkit.CPUStats) {
			if *quiet {
				return
			}
			busy := fmt.Sprintf("%.2f", cpu.Parallelism)
			if children := run.ChildParallelism(); children >= 0.005 {
				busy = fmt.Sprintf("%.2f (+%.2f in child processes)", cpu.Parallelism+children, children)
			}
			fmt.Fprintf(stderr, "        %v a round, %s cores busy; go tool pprof -http=:0 %s\n", roundDuration(run.RoundSeconds()), busy, filepath.Join(dir, run.Files.CPU))
		},
		Fresh: *fresh,
	}
	runs, err := profiling.ProfileAll(ctx, opts)
	if err != nil {
		if ctx.Err() != nil {
			return &exitError{130, fmt.Errorf("interrupted at %s: no report written (%d recordings kept in %s)", current, len(runs), *out)}
		}
		return err
	}
	d, err := profiling.Load(*out, *out)
	if err != nil {
		return err
	}
	d.By = "conclab profile"
	if err := d.Write(); err != nil {
		return err
	}
	if err := d.WriteSummary(stdout); err != nil {
		return err
	}
	if !*quiet {
		fmt.Fprintf(stderr, "report: %s, %s; flame graphs: %s\n", filepath.Join(*out, "report.md"), filepath.Join(*out, "report.html"),
			filepath.Join(*out, "<scenario>", "cpu-<n>.svg"))
	}
	return skipped(d, stderr)
}

// defaultCPUList is 1, 2, 4, … up to runtime.NumCPU(), which ends the list.
func defaultCPUList() string {
	var ns []string
	for n := 1; n < runtime.NumCPU(); n *= 2 {
		ns = append(ns, strconv.Itoa(n))
	}
	return strings.Join(append(ns, strconv.Itoa(runtime.NumCPU())), ",")
}

// parseCPUList parses -cpu: GOMAXPROCS values from 1 to maxCPU, duplicates
// dropped, in the order given.
func parseCPUList(s string) ([]int, error) {
	var procs []int
	for f := range strings.SplitSeq(s, ",") {
		f = strings.TrimSpace(f)
		n, err := strconv.Atoi(f)
		if err != nil {
			return nil, usageErrorf("-cpu %q: %q is not a whole number (want e.g. -cpu 1,2,4)", s, f)
		}
		if n < 1 || n > maxCPU {
			return nil, usageErrorf("-cpu %d: must be between 1 and %d", n, maxCPU)
		}
		if !slices.Contains(procs, n) {
			procs = append(procs, n)
		}
	}
	return procs, nil
}

// parseScenarios looks up -scenario's names; empty means the whole catalogue.
func parseScenarios(s string) ([]*scenarios.Scenario, error) {
	if strings.TrimSpace(s) == "" {
		all := scenarios.All()
		if len(all) == 0 {
			return nil, errors.New("the catalogue is empty")
		}
		return all, nil
	}
	var list []*scenarios.Scenario
	for name := range strings.SplitSeq(s, ",") {
		sc, err := scenarios.Lookup(strings.TrimSpace(name))
		if err != nil {
			return nil, usageErrorf("-scenario: %v", err)
		}
		if !containsScenario(list, sc) {
			list = append(list, sc)
		}
	}
	return list, nil
}

func containsScenario(list []*scenarios.Scenario, s *scenarios.Scenario) bool {
	for _, t := range list {
		if t == s {
			return true
		}
	}
	return false
}

// roundDuration prints seconds as a duration to about three digits.
func roundDuration(s float64) time.Duration {
	d := time.Duration(s * float64(time.Second))
	switch {
	case d >= 10*time.Millisecond:
		return d.Round(time.Millisecond)
	case d >= 10*time.Microsecond:
		return d.Round(time.Microsecond)
	}
	return d
}
