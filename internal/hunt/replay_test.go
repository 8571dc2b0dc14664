package hunt

import (
	"context"
	"flag"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var replayLong = flag.Bool("hunt.replay", false, "measure the replay table alone (make hunt-replay)")

// afterReturn names the corpus kernels whose bug happens after the test
// function returned.
var afterReturn = []string{"double-lock-unwaited", "double-lock-unwaited-helper", "block-after-return", "panic-after-return"}

// Replay measurement: each replay is the printed command run as it is, up
// to replayRuns runs, replayCount times.
const (
	replayRuns  = 5
	replayCount = 10
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

// TestReplayTable (make hunt, make hunt-replay) finds each schedule-dependent
// kernel, each kernel not found on its first run and each kernel whose bug
// comes after its test returned, from seed 1 with the default flags, then
// runs the finding's printed replay command replayCount times and counts the
// replays that show a finding of the same kind within their first
// replayRuns runs. A timing measurement: not in make test.
func TestReplayTable(t *testing.T) {
	if !*long && !*replayLong {
		t.Skip("the replay table runs with -hunt.long (make hunt) or -hunt.replay (make hunt-replay)")
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
	rows := []string{"| kernel | detector | found at run | replays showing it within 5 runs |", "|---|---|---:|---:|"}
	worst := replayCount
	for _, k := range ks {
		f := found[modPath+k.Name+"/bug "+k.Test]
		if !k.ScheduleDependent && !slices.Contains(afterReturn, k.Name) && (f == nil || f.Run == 1) {
			continue
		}
		if !assert.NotNil(t, f, "%s: not found in 200 runs from seed 1", k.Name) {
			rows = append(rows, fmt.Sprintf("| %s | %s | not in 200 | - |", k.Name, k.Detector))
			continue
		}
		cfg := parseReplay(t, f.Replay)
		cfg.Dir = "."
		if cfg.Runs == 0 || cfg.Runs > replayRuns {
			cfg.Runs = replayRuns
		}
		shown := 0
		for range replayCount {
			s, err := Hunt(context.Background(), cfg)
			require.NoError(t, err)
			require.Len(t, s.Tests, 1)
			for _, g := range s.Tests[0].All() {
				if g.Kind == f.Kind && g.Run <= replayRuns {
					shown++
					break
				}
			}
		}
		worst = min(worst, shown)
		t.Logf("%s: %s at run %d, replay %q: %d of %d", k.Name, f.Kind, f.Run, f.Replay, shown, replayCount)
		rows = append(rows, fmt.Sprintf("| %s | %s | %d (%s) | %d/%d |", k.Name, k.Detector, f.Run, f.Kind, shown, replayCount))
	}
	t.Logf("replays: each finding's printed command run %d times, up to %d runs each:\n%s", replayCount, replayRuns, strings.Join(rows, "\n"))
	assert.GreaterOrEqual(t, worst, replayCount-1, "a finding whose replay shows it in fewer than 9 of 10")
}
