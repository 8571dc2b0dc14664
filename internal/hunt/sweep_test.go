package hunt

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSweep (make hunt) hunts conclab's own packages and two well-tested
// libraries from the module cache: none of them may report anything.
func TestSweep(t *testing.T) {
	if !*long {
		t.Skip("the long sweep runs with -hunt.long (make hunt)")
	}
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	for _, tc := range []struct {
		name     string
		patterns []string
	}{
		{"conclab", []string{"./..."}},
		{"x-sync", []string{"golang.org/x/sync/..."}},
		{"goleak", []string{"go.uber.org/goleak"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sum, err := Hunt(context.Background(), Config{Dir: root, Patterns: tc.patterns, Runs: 5})
			require.NoError(t, err)
			for _, r := range sum.Tests {
				if f := r.Finding; f != nil {
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
