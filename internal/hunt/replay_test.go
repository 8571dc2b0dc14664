package hunt

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/internal/gotool"
)

var replayLong = flag.Bool("hunt.replay", false, "measure the replay table (make hunt-replay)")

// afterReturn names the corpus kernels whose bug happens after the test
// function returned.
var afterReturn = []string{"double-lock-unwaited", "double-lock-unwaited-helper", "block-after-return", "panic-after-return"}

// Replay measurement: each replay is the printed command run as it is, up
// to tableRuns runs, tableReplays times.
const (
	tableRuns    = 5
	tableReplays = 10
)

// parseReplay turns a printed replay command back into the Config that
// `conclab hunt` builds from it (cmd/conclab/hunt.go's flag mapping: -yield
// 0 is no perturbation, which Config spells as a negative Yield).
func parseReplay(t testing.TB, cmd string) Config {
	t.Helper()
	fields := strings.Fields(cmd)
	require.GreaterOrEqual(t, len(fields), 3, "replay %q", cmd)
	require.Equal(t, []string{"conclab", "hunt"}, fields[:2], "replay %q", cmd)
	var cfg Config
	args := fields[2:]
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		name := args[0]
		val := func() string {
			require.Greater(t, len(args), 1, "replay %q: %s without a value", cmd, name)
			v := args[1]
			args = args[1:]
			return v
		}
		var err error
		switch name {
		case "-run":
			cfg.Run, err = regexp.Compile(strings.Trim(val(), "'"))
		case "-seed":
			cfg.Seed, err = strconv.ParseUint(val(), 10, 64)
			cfg.SeedSet = true
		case "-cpu":
			cfg.CPU, err = strconv.Atoi(val())
		case "-yield":
			cfg.Yield, err = strconv.ParseFloat(val(), 64)
			if cfg.Yield == 0 {
				cfg.Yield = -1
			}
		case "-replay":
			cfg.Replay = true
		case "-runs":
			cfg.Runs, err = strconv.Atoi(val())
		default:
			require.Failf(t, "unknown flag", "replay %q: %s", cmd, name)
		}
		require.NoError(t, err, "replay %q: %s", cmd, name)
		args = args[1:]
	}
	cfg.Patterns = args
	return cfg
}

// TestReplayTable (make hunt-replay) finds each schedule-dependent
// kernel, each kernel not found on its first run and each kernel whose bug
// comes after its test returned, from seed 1 with the default flags, then
// runs the finding's printed replay command tableReplays times and counts the
// replays that show a finding of the same kind within their first
// tableRuns runs. A timing measurement: not in make test.
func TestReplayTable(t *testing.T) {
	if !*replayLong {
		t.Skip("the replay table runs with -hunt.replay (make hunt, make hunt-replay)")
	}
	ks := loadCorpus(t, "testdata/corpus/corpus.json")
	const modPath = "github.com/conclab/conclab/internal/hunt/testdata/corpus/"
	var patterns, names []string
	for _, k := range ks {
		patterns = append(patterns, "./testdata/corpus/"+k.Name+"/bug")
		names = append(names, regexp.QuoteMeta(k.Test))
	}
	sum, err := Hunt(context.Background(), Config{
		Dir: ".", Patterns: patterns, Runs: 200, Seed: 1, SeedSet: true,
		Run: regexp.MustCompile("^(" + strings.Join(names, "|") + ")$"),
	})
	require.NoError(t, err)
	found := map[string]*Finding{}
	for _, r := range sum.Tests {
		found[r.Package+" "+r.Test] = r.Finding
	}
	rows := []string{"| kernel | detector | found at run | seed, GOMAXPROCS, yield | hunt's own confirming replays | replays showing it within 5 runs |", "|---|---|---:|---|---|---:|"}
	worst := tableReplays
	for _, k := range ks {
		f := found[modPath+k.Name+"/bug "+k.Test]
		if !k.ScheduleDependent && !slices.Contains(afterReturn, k.Name) && (f == nil || f.Run == 1) {
			continue
		}
		if !assert.NotNil(t, f, "%s: not found in 200 runs from seed 1", k.Name) {
			rows = append(rows, fmt.Sprintf("| %s | %s | not in 200 | - | - | - |", k.Name, k.Detector))
			continue
		}
		cfg := parseReplay(t, f.Replay)
		cfg.Dir = "."
		if cfg.Runs == 0 || cfg.Runs > tableRuns {
			cfg.Runs = tableRuns
		}
		shown := 0
		for range tableReplays {
			s, err := Hunt(context.Background(), cfg)
			require.NoError(t, err)
			require.Len(t, s.Tests, 1)
			for _, g := range s.Tests[0].All() {
				if g.Kind == f.Kind && g.Run <= tableRuns {
					shown++
					break
				}
			}
		}
		worst = min(worst, shown)
		t.Logf("%s: %s at run %d, replay %q: %d of %d within %d runs", k.Name, f.Kind, f.Run, f.Replay, shown, tableReplays, tableRuns)
		rows = append(rows, fmt.Sprintf("| %s | %s | %d (%s) | %s | %s | %d/%d |", k.Name, k.Detector, f.Run, f.Kind, replayFlags(f), confirmed(f), shown, tableReplays))
	}
	t.Logf("replays: each finding's printed command run %d times, up to %d runs each:\n%s", tableReplays, tableRuns, strings.Join(rows, "\n"))
	assert.GreaterOrEqual(t, worst, tableReplays-1, "a finding whose replay shows it in fewer than 9 of 10")
}

// replayFlags sums up the run a finding replays.
func replayFlags(f *Finding) string {
	s := fmt.Sprintf("%d, %d, %g", f.Seed, f.GOMAXPROCS, f.Yield)
	if f.ReplayOf > 0 && f.ReplaySeed != f.Seed {
		s += fmt.Sprintf(" (replayed with seed %d)", f.ReplaySeed)
	}
	return s
}

// confirmed sums up the replays hunt ran before it reported f.
func confirmed(f *Finding) string {
	switch {
	case f.ReplayOf == 0:
		return "not replayed (a dear run)"
	case f.ReplaySeed != f.Seed:
		return fmt.Sprintf("own seed %d/%d, seed %d %d/%d", f.OwnShown, f.ReplayOf, f.ReplaySeed, f.ReplayShown, f.ReplayOf)
	}
	return fmt.Sprintf("%d/%d", f.ReplayShown, f.ReplayOf)
}

// TestReplayCommand: the printed command pins everything the run depended
// on, the yield probability included (the default cycle would give the
// replay's later runs other ones), and names the package from the hunt's
// directory.
func TestReplayCommand(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name   string
		pkgDir string
		yield  float64
		want   string
	}{
		{"default first yield", filepath.Join(dir, "p"), DefaultYield, "conclab hunt -replay -run '^TestX$' -seed 42 -cpu 2 -yield 0.15 -runs 10 ./p"},
		{"no perturbation", filepath.Join(dir, "p", "q"), 0, "conclab hunt -replay -run '^TestX$' -seed 42 -cpu 2 -yield 0 -runs 10 ./p/q"},
		{"the hunt's own directory", dir, 0.8, "conclab hunt -replay -run '^TestX$' -seed 42 -cpu 2 -yield 0.8 -runs 10 ."},
		{"outside it", filepath.Dir(dir), 0.4, "conclab hunt -replay -run '^TestX$' -seed 42 -cpu 2 -yield 0.4 -runs 10 example.com/p"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := &testState{name: "TestX", target: &target{pkg: &gotool.Package{ImportPath: "example.com/p", Dir: tc.pkgDir}}}
			got := replayCommand(&Config{Dir: dir}, ts, 42, 2, tc.yield)
			assert.Equal(t, tc.want, got)
			cfg := parseReplay(t, got)
			assert.True(t, cfg.Replay && cfg.SeedSet)
			assert.Equal(t, uint64(42), cfg.Seed)
			assert.Equal(t, 2, cfg.CPU)
			assert.Equal(t, ReplayRuns, cfg.Runs)
		})
	}
}

// TestReplaySeeds: a hunt's run r uses its first seed plus r; under Replay
// every run uses the seed itself, one run a child whatever Count says, and
// a finding in any of them prints the same command.
func TestReplaySeeds(t *testing.T) {
	for _, tc := range []struct {
		name   string
		replay bool
		count  int
		want   []uint64
	}{
		{"hunt", false, 0, []uint64{7, 8, 9, 10}},
		{"hunt, two runs a child", false, 2, []uint64{7, 9}},
		{"replay", true, 0, []uint64{7, 7, 7, 7}},
		{"replay ignores -count", true, 2, []uint64{7, 7, 7, 7}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			var seeds []uint64
			child := func(_ context.Context, b *batch) batchResult {
				mu.Lock()
				defer mu.Unlock()
				seeds = append(seeds, b.seed)
				return batchResult{completed: b.count}
			}
			h := fakeHunter(Config{Runs: 4, Parallel: 1, Count: tc.count, Seed: 7, SeedSet: true, Replay: tc.replay}, child, "TestX")
			h.tests[0].base = 7
			sum := h.hunt(t.Context())
			assert.Equal(t, tc.want, seeds)
			assert.Equal(t, 4, sum.Tests[0].Runs)
		})
	}
	t.Run("finding", func(t *testing.T) {
		child := func(_ context.Context, b *batch) batchResult {
			if b.first == 2 {
				return batchResult{ev: &event{kind: KindDeadlock, message: "stuck"}}
			}
			return batchResult{completed: b.count}
		}
		h := fakeHunter(Config{Runs: 4, Parallel: 1, CPU: 2, Yield: 0.4, Seed: 7, SeedSet: true, Replay: true}, child, "TestX")
		h.tests[0].base = 7
		sum := h.hunt(t.Context())
		f := sum.Tests[0].Finding
		require.NotNil(t, f)
		assert.Equal(t, 3, f.Run)
		assert.Equal(t, uint64(7), f.Seed)
		assert.Contains(t, f.Replay, "-replay -run '^TestX$' -seed 7 -cpu 1 -yield 0.4 -runs 10 ")
	})
}
