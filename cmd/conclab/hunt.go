package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os/signal"
	"regexp"
	"strconv"
	"strings"
	"syscall"

	"github.com/conclab/conclab/internal/hunt"

	"github.com/conclab/conclab/internal/gotool"
)

var huntDoc = `Hunt the concurrency bugs in the tests of PACKAGES (default ./...), from
inside any Go module: build each package's test binary once under -race,
instrumented through 'go test -overlay' (the package's files are never
written), then run every test alone, again and again, in child processes
with seeded schedule perturbation and GOMAXPROCS cycling through 2, 1,
NumCPU, 4. A test stops at its first ` + hunt.KindList(endsHunt) + `. A ` + hunt.KindList(not(endsHunt)) + ` is
reported at once and the test's remaining runs look on for the other kinds
(a leak is often what a race or a hang leaves behind under another
schedule, and a race may hide the deadlock it leads to):

` + hunt.DetectorHelp() + `

How many runs: with neither -runs nor -time, every test runs once; a test
whose run started no goroutine and reached no concurrency operation is done
(another run would do the same again), and so is one that started none and
whose second run reached the same pairs of operations as its first (a
mutex locked alone on its goroutine). The other tests share a budget of
` + hunt.DefaultBudget.String() + ` of runs, or ten times as long as one run of each of them takes,
whichever is longer: each next run goes to the test likeliest to find
something per second, (1 + novelty)/(runs + 1) over its seconds per run,
where novelty is the share of its latest runs that reached a pair of
concurrency operations no earlier run had. So a cheap concurrent test gets
many runs, a slow one few, every concurrent test about the same time. The
progress line says the budget and the time left. -time D caps the whole
hunt at D, builds included, and spends it by the same rule (tests not
reached by then are "not run", packages not built by then "not built"); -runs N runs every test exactly N times.

Each finding prints its seed, GOMAXPROCS, run number and the command that
replays it, and how sure it is: definite, releasable (a leak the test
could end: it never closes what it built), timing-dependent (the test
measures or waits on time) or likely (see docs/detectors.md). -replay runs
the finding's own run (its seed, GOMAXPROCS and yield probability)
` + strconv.Itoa(hunt.ReplayRuns) + ` times. The seed fixes every decision of the perturbation, not the
Go scheduler: with GOMAXPROCS above 1 the same seed can take another
interleaving. So before a finding is reported its run is replayed ` + strconv.Itoa(hunt.ConfirmRuns) + `
times; if its seed seldom shows it, fresh seeds are tried for one that
does, and the finding says how many of its replays showed it. Exit status 0 when clean, 1 on any finding or a test not run
(-time ran out first), 2 on bad input, 130 when interrupted (Ctrl-C).
'conclab hunt -merge a.json b.json' joins the -json outputs of -shard runs.

For CI: -sarif FILE writes the findings as SARIF 2.1.0 for GitHub code
scanning (one rule per kind, each finding at its first frame in your code,
a fingerprint that is the same for the same bug in every run); under
GITHUB_ACTIONS=true each finding is also an ::error annotation on its line.
-baseline OLD.json (the -json of an earlier hunt, e.g. of the base branch)
still reports every finding but fails (exit 1) only on those whose
fingerprint OLD does not hold. Both work with -merge. See docs/ci.md.`

func endsHunt(d hunt.Detector) bool { return d.EndsHunt }

func not(f func(hunt.Detector) bool) func(hunt.Detector) bool {
	return func(d hunt.Detector) bool { return !f(d) }
}

func runHunt(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("hunt", "[flags] [packages]", huntDoc, stdout)
	run := fs.String("run", "", "hunt only the tests matching this regexp")
	runs := fs.Int("runs", 0, "runs per test, exactly (0: as many as the budget gives each, see above)")
	budget := fs.Duration("time", 0, "total time budget for the hunt, builds included, spent by the rule above (0: the default budget, or none with -runs)")
	parallel := fs.Int("parallel", hunt.DefaultParallel(), "child processes at once")
	stall := fs.Duration("stall", hunt.DefaultStall, "no progress for this long is a deadlock")
	seed := fs.String("seed", "", "seed of the first run; run r uses seed+r")
	replay := fs.Bool("replay", false, "every run uses the -seed seed: replay one finding's run -runs times")
	cpu := fs.Int("cpu", 0, "GOMAXPROCS of every run (0: cycle through 2, 1, NumCPU, 4)")
	yield := fs.Float64("yield", -1, "yield probability at concurrency operations, 0..1 (0: no perturbation; default: 0.15, 0.8, 0.4 and 0 in turn)")
	count := fs.Int("count", 0, "iterations per child process (0: one, so that no run sees what an earlier one left behind)")
	shard := fs.String("shard", "", "hunt slice i of n of the tests (i/n, 0-based)")
	asJSON := fs.Bool("json", false, "print one JSON object per finding and a summary object")
	merge := fs.Bool("merge", false, "join the -json outputs named as arguments instead of hunting")
	out := fs.String("o", "", "also write the hunt's report section to this file (.md or .html)")
	fs.StringVar(out, "out", "", "same as -o")
	plain := fs.Bool("plain", false, "build without instrumentation (-race only)")
	quiet := fs.Bool("quiet", false, "print no progress on stderr")
	ci := ciFlags(fs)
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if err := ci.load(); err != nil {
		return err
	}
	if *merge {
		if len(rest) == 0 {
			return usageErrorf("-merge: name the -json files to join")
		}
		sum, err := hunt.Merge(rest...)
		if err != nil {
			return usageErrorf("-merge: %v", err)
		}
		return finishHunt(sum, *asJSON, *out, ci, stdout, stderr, false)
	}
	cfg := hunt.Config{
		Patterns: rest, Runs: *runs, Time: *budget, Parallel: *parallel, Stall: *stall,
		CPU: *cpu, Yield: *yield, Count: *count, Plain: *plain, Replay: *replay,
	}
	switch {
	case *runs < 0 || *runs > 1_000_000:
		return usageErrorf("-runs %d: must be between 1 and 1000000 (or 0: the budget)", *runs)
	case *parallel < 1 || *parallel > 1024:
		return usageErrorf("-parallel %d: must be between 1 and 1024", *parallel)
	case *stall <= 0:
		return usageErrorf("-stall %v: must be positive", *stall)
	case *budget < 0:
		return usageErrorf("-time %v: must not be negative", *budget)
	case *cpu < 0 || *cpu > 1024:
		return usageErrorf("-cpu %d: must be between 1 and 1024", *cpu)
	case *yield != -1 && (*yield < 0 || *yield > 1) || math.IsNaN(*yield):
		return usageErrorf("-yield %v: must be between 0 and 1", *yield)
	case *count < 0:
		return usageErrorf("-count %d: must not be negative", *count)
	case *replay && *seed == "":
		return usageErrorf("-replay: give the -seed of the run to replay")
	}
	switch *yield {
	case -1:
		cfg.Yield = 0 // Config's zero is the default cycle
	case 0:
		cfg.Yield = -1 // no perturbation
	}
	if *run != "" {
		if cfg.Run, err = regexp.Compile(*run); err != nil {
			return usageErrorf("-run %q: %v", *run, err)
		}
	}
	if *seed != "" {
		if cfg.Seed, err = strconv.ParseUint(*seed, 10, 64); err != nil {
			return usageErrorf("-seed %q: want a non-negative integer", *seed)
		}
		cfg.SeedSet = true
	}
	if *shard != "" {
		i, n, ok := strings.Cut(*shard, "/")
		si, err1 := strconv.Atoi(i)
		sn, err2 := strconv.Atoi(n)
		if !ok || err1 != nil || err2 != nil || sn < 1 || si < 0 || si >= sn {
			return usageErrorf("-shard %q: want i/n with 0 <= i < n", *shard)
		}
		cfg.Shard, cfg.Shards = si, sn
	}
	if !*quiet {
		cfg.Progress = stderr
	}
	// Hunt calls Found one finding at a time, and not after it returns.
	cfg.Found = func(f hunt.Finding) {
		if *asJSON {
			_ = json.NewEncoder(stdout).Encode(f)
		}
		if cfg.Progress != nil {
			fmt.Fprintf(cfg.Progress, "hunt: FOUND %s in %s %s (run %d)\n", f.Kind, f.Package, f.Test, f.Run)
		}
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM) // stop the children on kill too, not only on Ctrl-C
	defer stop()
	sum, err := hunt.Hunt(ctx, cfg)
	if err != nil {
		if ue, ok := errors.AsType[*gotool.UsageError](err); ok {
			if ue.Detail != "" {
				fmt.Fprintln(stderr, ue.Detail)
			}
			return &exitError{2, ue}
		}
		if ctx.Err() != nil {
			return &exitError{130, errors.New("interrupted before any run")}
		}
		return err
	}
	return finishHunt(sum, *asJSON, *out, ci, stdout, stderr, ctx.Err() != nil)
}

// finishHunt prints the summary, writes the report and chooses the exit
// status.
func finishHunt(sum *hunt.Summary, asJSON bool, out string, ci *huntCI, stdout, stderr io.Writer, interrupted bool) error {
	var err error
	if asJSON && ci.baseline != nil {
		err = json.NewEncoder(stdout).Encode(ci.baseline.JSON(sum))
	}
	if err != nil {
		return err
	}
	if asJSON {
		err = json.NewEncoder(stdout).Encode(sum)
	} else {
		err = sum.WriteText(stdout)
	}
	if err != nil {
		return err
	}
	if out != "" {
		if err := sum.WriteReport(out); err != nil {
			return fmt.Errorf("report: %v", err)
		}
	}
	if err := ci.finish(sum, asJSON, stdout, stderr); err != nil {
		return err
	}
	findings := fmt.Sprintf("%d finding%s", sum.Findings, map[bool]string{true: "", false: "s"}[sum.Findings == 1])
	switch {
	case interrupted:
		// Ctrl-C exits 130 as elsewhere, findings or not: the report
		// above has them.
		return &exitError{130, fmt.Errorf("interrupted before every run was done (%s)", findings)}
	case ci.baseline != nil:
		if _, fresh := ci.baseline.Split(sum); len(fresh) > 0 {
			return &exitError{1, fmt.Errorf("%d new finding%s (not in the baseline %s)", len(fresh), map[bool]string{true: "", false: "s"}[len(fresh) == 1], ci.baseline.Path)}
		}
	case sum.Findings > 0:
		return &exitError{1, errors.New(findings)}
	}
	if sum.NotRun > 0 {
		return &exitError{1, fmt.Errorf("%d test%s not run: the hunt stopped first (raise -time)", sum.NotRun, map[bool]string{true: "", false: "s"}[sum.NotRun == 1])}
	}
	if n := len(sum.NotBuilt); n > 0 {
		return &exitError{1, fmt.Errorf("%d package%s not built: -time ran out during the builds (raise -time)", n, map[bool]string{true: "", false: "s"}[n == 1])}
	}
	return nil
}
