package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/conclab/conclab/internal/verdict"
	"github.com/conclab/conclab/scenarios"
)

func TestMain(m *testing.M) {
	scenarios.ServeIfWorker()
	goleak.VerifyTestMain(m)
}

var quiet = verdict.Load{Other: 10 * time.Millisecond, Wall: 10 * time.Second, Known: true}

// jitter is nine factors within ±1%, one a rep.
var jitter = []float64{1, 1.01, 0.99, 1.005, 0.995, 1.0025, 0.9975, 1.0075, 0.9925}

// around returns nine samples around x, the default reps: jitter rotated
// by shift, so that two configurations' runs of a rep differ.
func around(x float64, shift int) []float64 {
	out := make([]float64, len(jitter))
	for i := range out {
		out[i] = x * jitter[(i+shift)%len(jitter)]
	}
	return out
}

// exampleTable is a table as measureAll leaves it, with the figures of a
// quiet 2-core machine: Python threads do not scale, Python processes and
// goroutines do, Go processes barely, every wait overlaps.
func exampleTable(load verdict.Load) *table {
	s := fullSizes
	wl := names(s)
	t := &table{o: options{reps: 9, cores: 2, sizes: s}}
	add := func(workload string, m model, workers int, wall, zero float64, items int) {
		t.configs = append(t.configs, &config{workload: workload, model: m, workers: workers,
			walls: around(wall, len(t.configs)), zeros: around(zero, 0), items: items, load: load})
	}
	add(wl.cpu, pyThreads, 1, 1.50, 0.0002, s.pySquares)
	add(wl.cpu, pyThreads, 2, 1.55, 0.0004, s.pySquares)
	add(wl.cpu, pyProcesses, 1, 1.50, 0.010, s.pySquares)
	add(wl.cpu, pyProcesses, 2, 0.78, 0.020, s.pySquares)
	add(wl.cpu, goGoroutine, 1, 1.20, 0.0001, s.goSquares)
	add(wl.cpu, goGoroutine, 2, 0.61, 0.0001, s.goSquares)
	add(wl.cpu, goProcesses, 1, 1.22, 0.010, s.goSquares)
	add(wl.cpu, goProcesses, 2, 0.95, 0.020, s.goSquares)
	add(wl.io, pyThreads, s.waits, 2.10, 0.08, s.waits)
	add(wl.io, pyAsyncio, s.waits, 2.02, 0.01, s.waits)
	add(wl.io, goGoroutine, s.waits, 2.001, 0.002, s.waits)
	t.check()
	return t
}

func outcomes(t *table) map[string]verdict.Outcome {
	got := map[string]verdict.Outcome{}
	for _, v := range t.claims {
		got[v.Claim.Text] = v.Outcome
	}
	return got
}

func TestClaimsOnAQuietMachine(t *testing.T) {
	tab := exampleTable(quiet)
	assert.Equal(t, map[string]verdict.Outcome{
		"threads give CPU-bound Python no speed-up (the GIL)": verdict.Yes,
		"processes do":  verdict.Yes,
		"goroutines do": verdict.Yes,
		"Go processes do too, at the cost of start-up and serialisation": verdict.No,
		"goroutines do the same work in under a tenth of Python's time":  verdict.Yes,
		"Python threads overlap 500 waits (wall ≤ 2 latencies)":          verdict.Yes,
		"Python asyncio overlap 500 waits (wall ≤ 2 latencies)":          verdict.Yes,
		"Go goroutines overlap 500 waits (wall ≤ 2 latencies)":           verdict.Yes,
	}, outcomes(tab))
}

// One competing busy process: every verdict inconclusive, none "no".
func TestClaimsOnALoadedMachine(t *testing.T) {
	tab := exampleTable(verdict.Load{Other: 10 * time.Second, Wall: 10 * time.Second, Known: true})
	require.NotEmpty(t, tab.claims)
	for _, v := range tab.claims {
		assert.Equal(t, verdict.Inconclusive, v.Outcome, v.Claim.Text)
		assert.Contains(t, v.Reason, "the machine was loaded: other programs kept 1.00 of")
	}
}

// A burst of load during a few runs leaves those pairs out of the
// verdicts; during too many, every verdict is inconclusive.
func TestClaimsLeaveOutPairsTakenWhileBusy(t *testing.T) {
	busy := verdict.Load{Other: 2 * time.Second, Wall: 2 * time.Second, Known: true}
	for _, tc := range []struct {
		name  string
		busy  int
		want  verdict.Outcome
		cause string
	}{
		{name: "two-of-nine", busy: 2, want: verdict.Yes},
		{name: "four-of-nine", busy: 4, want: verdict.Inconclusive, cause: "the machine was loaded during 4 of 9 pairs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tab := exampleTable(quiet)
			c := tab.find(names(fullSizes).cpu, goGoroutine, 2)
			c.loads = make([]verdict.Load, len(c.walls))
			for i := range tc.busy {
				c.loads[i] = busy
				c.walls[i] *= 1.5 // the burst slowed these runs down
			}
			tab.claims = nil
			tab.check()
			v := outcomes(tab)
			assert.Equal(t, tc.want, v["goroutines do"])
			for _, cl := range tab.claims {
				if cl.Claim.Text == "goroutines do" {
					assert.Contains(t, cl.Reason, tc.cause)
				}
			}
		})
	}
}

// Fixed costs leave a claim inconclusive only where they could change its
// verdict, whatever their share: each claim is also judged on its runs
// less their zero-work runs.
func TestClaimsJudgeFixedCostsByHowTheyEnter(t *testing.T) {
	wl := names(fullSizes)
	for _, tc := range []struct {
		name     string
		workload string
		model    model
		workers  int
		wall     float64 // the configuration's wall time, when not 0
		zero     float64 // its fixed costs
		claim    string
		want     verdict.Outcome
		reason   string
	}{
		// The run: start-up 8 % of the wall time, the wall time
		// with it 1.07 latencies, far below the bound of 2.
		{name: "wait-bound-met-with-start-up-included", workload: wl.io, model: pyThreads, workers: fullSizes.waits,
			wall: 2.14, zero: 0.17, claim: "Python threads overlap 500 waits (wall ≤ 2 latencies)", want: verdict.Yes},
		// A quarter of the 2-process run is start-up: 1.92× with it, 2.6×
		// without, both above 1.33×.
		{name: "speed-up-above-the-threshold-either-way", workload: wl.cpu, model: pyProcesses, workers: 2,
			zero: 0.2, claim: "processes do", want: verdict.Yes},
		// 1.28× as measured, 2.2× without the 2-process run's 0.4 s of
		// start-up: which side of 1.33× is the start-up's doing.
		{name: "speed-up-moved-across-the-threshold-by-start-up", workload: wl.cpu, model: goProcesses, workers: 2,
			zero: 0.4, claim: "Go processes do too, at the cost of start-up and serialisation", want: verdict.Inconclusive,
			reason: "fixed costs could change it (a ratio whose both sides carry fixed costs): 2.2× ["},
		// Go's 2-goroutine run all start-up: its work cannot be told.
		{name: "per-item-with-fixed-costs-as-long-as-the-run", workload: wl.cpu, model: goGoroutine, workers: 2,
			zero: 0.7, claim: "goroutines do the same work in under a tenth of Python's time", want: verdict.Inconclusive,
			reason: "fixed costs are as long as a run: its work cannot be told from them"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tab := exampleTable(quiet)
			c := tab.find(tc.workload, tc.model, tc.workers)
			require.NotNil(t, c)
			if tc.wall != 0 {
				c.walls = around(tc.wall, 0)
			}
			c.zeros = around(tc.zero, 4)
			tab.claims = nil
			tab.check()
			for _, v := range tab.claims {
				if v.Claim.Text == tc.claim {
					assert.Equal(t, tc.want, v.Outcome, v.String())
					assert.Contains(t, v.Reason, tc.reason)
					return
				}
			}
			t.Fatalf("no claim %q", tc.claim)
		})
	}
}

func TestPrint(t *testing.T) {
	tab := exampleTable(quiet)
	tab.find(names(fullSizes).io, pyAsyncio, fullSizes.waits).err = assert.AnError
	tab.claims = nil
	tab.check()
	var out bytes.Buffer
	tab.print(&out, true)
	s := out.String()
	assert.Regexp(t, `Python processes +2 +780ms \[774\.2ms, 785\.9ms\] +19\.5 ns +1\.92× \[1\.9, 1\.95\] +2\.6%`, s)
	assert.Regexp(t, `Go goroutines +2 +610ms .* 0\.0\d+ \[`, s, "Go/Python per item, with its interval")
	assert.Regexp(t, `Python asyncio +500 +error: `+assert.AnError.Error(), s)
	assert.Contains(t, s, "  yes          processes do: 1.92× [")
	assert.Contains(t, s, "inconclusive Python asyncio overlap 500 waits (wall ≤ 2 latencies): no measurement — a run it rests on failed (see the table)")
	assert.Contains(t, s, red+"  no           Go processes do too", "only the refuted claim is red")
	assert.Equal(t, 1, strings.Count(s, red))
}

func TestRepsMustBePositive(t *testing.T) {
	for _, reps := range []string{"0", "-1"} {
		t.Run("reps="+reps, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(t.Context(), []string{"-reps", reps}, &stdout, &stderr)
			assert.Equal(t, 2, code)
			assert.Equal(t, "pycompare: -reps "+reps+": must be at least 1\n", stderr.String())
			assert.Empty(t, stdout.String())
		})
	}
}

// fakePython is an interpreter that runs none of the article's programs:
// it prints a wall time (short for a zero-work run, whose last argument
// is 0), garbage for cpu_threads.py, and fails for io_asyncio.py.
const fakePython = `#!/bin/sh
case "$1" in
*cpu_threads.py) echo 'Traceback? no: garbage'; exit 0 ;;
*io_asyncio.py) echo 'ModuleNotFoundError: asyncio' >&2; exit 1 ;;
esac
for last; do :; done
if [ "$last" = 0 ]; then echo '{"wall": 0.0001, "items": 0}'; else echo '{"wall": 0.5, "items": 1000}'; fi
`

// A Python program that fails or prints garbage is an error row; every
// other row is still measured and every claim that does not rest on it
// still judged.
func TestBrokenPythonIsAnErrorRow(t *testing.T) {
	dir := t.TempDir()
	python := filepath.Join(dir, "python")
	require.NoError(t, os.WriteFile(python, []byte(fakePython), 0o755))
	o := options{python: python, scripts: "scripts", reps: 3, cores: 2, sizes: sizes{
		pySquares: 1000, goSquares: 2_000_000, goRange: 1_000_000, waits: 10, latency: time.Millisecond,
		mapItems: 100, tasks: 100, threads: 2, incs: 100}}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	var progress bytes.Buffer
	tab, err := compare(ctx, o, &progress)
	require.NoError(t, err)

	wl := names(o.sizes)
	for _, c := range tab.configs {
		switch {
		case c.workload == wl.cpu && c.model == pyThreads:
			assert.ErrorContains(t, c.err, `cpu_threads.py `+itoaTest(c.workers)+` 1000: printed "Traceback? no: garbage", not {"wall": SECONDS, "items": N}`)
		case c.model == pyAsyncio:
			assert.ErrorContains(t, c.err, "io_asyncio.py 10 0.001: exit status 1: ModuleNotFoundError: asyncio")
		default:
			assert.NoError(t, c.err, "%s %s", c.workload, c.model)
			assert.Len(t, c.walls, 3, "%s %s: every rep measured", c.workload, c.model)
			assert.Len(t, c.zeros, 3, "and its zero-work run")
		}
	}
	for _, v := range tab.claims {
		failed := strings.Contains(v.Reason, "a run it rests on failed")
		rests := strings.HasPrefix(v.Claim.Text, "threads give") || strings.HasPrefix(v.Claim.Text, "Python asyncio")
		assert.Equal(t, rests, failed, "%s: %s", v.Claim.Text, v.Reason)
	}
}

func itoaTest(n int) string { return count(n) }

func TestFormats(t *testing.T) {
	assert.Equal(t, "20 000 000", count(20_000_000))
	assert.Equal(t, "999", count(999))
	assert.Equal(t, "1 000", count(1000))
	assert.Equal(t, "0.61 ns", perItem(0.61e-9))
	assert.Equal(t, "19.5 ns", perItem(19.5e-9))
	assert.Equal(t, "12.00 µs", perItem(12e-6))
	assert.Equal(t, "200.00 ms", perItem(0.2))
	assert.Equal(t, "1.5s", round(1.5004))
	assert.Equal(t, "780ms", round(0.78))
}
