package hunt

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSweep (make hunt) hunts conclab's own packages and two well-tested
// libraries from the module cache: none of them may report anything but
// the findings triaged in docs/detectors.md as the library's tests
// assuming a schedule, which a run shows only now and then.
func TestSweep(t *testing.T) {
	if !*long {
		t.Skip("the long sweep runs with -hunt.long (make hunt)")
	}
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	for _, tc := range []struct {
		name     string
		patterns []string
		known    map[string]string // test → why its finding is the test's own
	}{
		{"conclab", []string{"./..."}, nil},
		{"x-sync", []string{"golang.org/x/sync/..."}, nil},
		{"goleak", []string{"go.uber.org/goleak"}, map[string]string{
			"TestAll":                      "expects goroutine ids in creation order; ids come in per-P batches",
			"TestOptionsFilters":           "assumes the goroutine it started has reached block(); a yield (or, above GOMAXPROCS 1, a preemption) after close(started) finds it before",
			"TestOptionsIgnoreAnyFunction": "assumes the test's goroutine is parked when it lists goroutines",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sum, err := Hunt(context.Background(), Config{Dir: root, Patterns: tc.patterns, Runs: 5})
			require.NoError(t, err)
			for _, r := range sum.Tests {
				if f := r.Finding; f != nil {
					if why, ok := tc.known[r.Test]; ok {
						t.Logf("%s %s: %s, known: %s", r.Package, r.Test, f.Kind, why)
						continue
					}
					t.Errorf("%s %s: %s: %s\n%s\nreplay: %s", r.Package, r.Test, f.Kind, f.Message, strings.Join(f.Stacks, "\n"), f.Replay)
				}
			}
			t.Logf("%s: %d tests, %d runs, %.0fs, %d findings", tc.name, len(sum.Tests), sum.Runs, sum.Seconds, sum.Findings)
		})
	}
}

// TestPerturbationTable (make hunt) hunts each schedule-dependent kernel with
// the default perturbation and without it (-yield 0), from the same seeds,
// and prints the runs each needed.
func TestPerturbationTable(t *testing.T) {
	if !*long {
		t.Skip("the long sweep runs with -hunt.long (make hunt)")
	}
	var ks []kernel
	for _, k := range loadCorpus(t, "testdata/corpus/corpus.json") {
		if k.ScheduleDependent {
			ks = append(ks, k)
		}
	}
	const runs = 100
	rows := []string{"| kernel | detector | runs with perturbation | runs without |", "|---|---|---:|---:|"}
	for _, k := range ks {
		cell := func(yield float64) string {
			sum, err := Hunt(context.Background(), Config{
				Dir: ".", Patterns: []string{"./testdata/corpus/" + k.Name + "/bug"}, Runs: runs, Yield: yield,
				Run: regexp.MustCompile("^" + k.Test + "$"), Seed: 1, SeedSet: true, CPU: 2,
			})
			require.NoError(t, err)
			require.Len(t, sum.Tests, 1)
			if f := sum.Tests[0].Finding; f != nil {
				return fmt.Sprintf("%d (%s)", f.Run, f.Kind)
			}
			return fmt.Sprintf("not in %d", runs)
		}
		with, without := cell(0), cell(-1)
		assert.NotContains(t, with, "not in", "%s: unseen even with perturbation", k.Name)
		rows = append(rows, fmt.Sprintf("| %s | %s | %s | %s |", k.Name, k.Detector, with, without))
	}
	t.Logf("schedule-dependent kernels, seeds 1.., GOMAXPROCS 2, up to %d runs:\n%s", runs, strings.Join(rows, "\n"))
}

// rareKernels are the corpus kernels that plain runs (go test -race, a
// process a run, no perturbation) show in fewer than 1 run in 100, with the
// rate the corpus README measured.
var rareKernels = []struct{ name, plain string }{
	{"send-after-check-deadlock", "0/100"},
	{"close-check-then-close", "0/100"},
	{"cond-if-not-for", "0/50"},
	{"check-then-act", "0/50"},
}

// TestRareTable (make hunt) hunts each rare kernel five times from seeds
// 1..5 with the old default of 20 runs and with the default budget, each
// hunt stopped at its first finding, and prints how many hunts found the
// bug and the seconds from the first run to the finding.
func TestRareTable(t *testing.T) {
	if !*long {
		t.Skip("the long sweep runs with -hunt.long (make hunt)")
	}
	ks := map[string]kernel{}
	for _, k := range loadCorpus(t, "testdata/corpus/corpus.json") {
		ks[k.Name] = k
	}
	const hunts = 5
	cell := func(k kernel, runs int) string {
		var secs []float64
		var runsTo []int
		for seed := uint64(1); seed <= hunts; seed++ {
			f, err := firstFinding(t.Context(), Config{
				Dir: ".", Patterns: []string{"./testdata/corpus/" + k.Name + "/bug"},
				Run: regexp.MustCompile("^" + k.Test + "$"), Runs: runs, Seed: seed << 20, SeedSet: true,
			})
			require.NoError(t, err)
			if f != nil {
				secs = append(secs, f.Seconds)
				runsTo = append(runsTo, f.Run)
			}
		}
		if len(secs) == 0 {
			return fmt.Sprintf("0/%d", hunts)
		}
		return fmt.Sprintf("%d/%d at runs %v, median %.2f s, worst %.2f s", len(secs), hunts, runsTo, median(secs), slices.Max(secs))
	}
	rows := []string{"| kernel | plain runs | 20 runs (old default) | default budget |", "|---|---|---|---|"}
	for _, r := range rareKernels {
		k, ok := ks[r.name]
		require.True(t, ok, r.name)
		rows = append(rows, fmt.Sprintf("| %s | %s | %s | %s |", r.name, r.plain, cell(k, 20), cell(k, 0)))
	}
	t.Logf("rare kernels, %d hunts each, time from the first run to the first finding:\n%s", hunts, strings.Join(rows, "\n"))
}
