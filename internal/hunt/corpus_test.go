package hunt

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var long = flag.Bool("hunt.long", false, "run the long sweeps (make hunt): the corpus at full budget, conclab's packages, x/sync, goleak")

// A kernel is one entry of testdata/corpus/corpus.json.
type kernel struct {
	Name              string `json:"name"`
	Detector          Kind   `json:"detector"`
	Test              string `json:"test"`
	ScheduleDependent bool   `json:"schedule_dependent"`
	Shape             string `json:"shape"`
	Also              []Kind `json:"also"` // other detectors that may see the same bug first
	// Certainty, when set, is the certainty the finding must have.
	Certainty Certainty `json:"certainty"`
}

func loadCorpus(t testing.TB, path string) []kernel {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var ks []kernel
	require.NoError(t, json.Unmarshal(data, &ks))
	require.NotEmpty(t, ks)
	return ks
}

// huntCorpus hunts every kernel's bug and fixed twin in one hunt (builds and
// runs share the child processes) and returns the results by package.
func huntCorpus(t *testing.T, dir, prefix string, ks []kernel, cfg Config) map[string]TestResult {
	t.Helper()
	var names []string
	for _, k := range ks {
		names = append(names, regexp.QuoteMeta(k.Test))
		cfg.Patterns = append(cfg.Patterns, prefix+k.Name+"/bug", prefix+k.Name+"/fixed")
	}
	if prefix == "./" { // the oldgo module: one kernel, bug and fixed at its root
		cfg.Patterns = []string{"./bug", "./fixed"}
	}
	cfg.Dir = dir
	if testing.Verbose() {
		cfg.Progress = os.Stderr
	}
	cfg.Run = regexp.MustCompile("^(" + strings.Join(names, "|") + ")$")
	sum, err := Hunt(context.Background(), cfg)
	require.NoError(t, err)
	byPkg := map[string]TestResult{}
	for _, r := range sum.Tests {
		byPkg[r.Package+" "+r.Test] = r
	}
	return byPkg
}

// checkCorpus asserts, per kernel, that the bug is found by its detector
// and that the fixed twin is clean over the whole budget: runs each, or with
// runs 0 (the default budget) at least one.
func checkCorpus(t *testing.T, modPath string, ks []kernel, results map[string]TestResult, runs int) (table []string) {
	for _, k := range ks {
		t.Run(k.Name, func(t *testing.T) {
			bug, ok := results[modPath+k.Name+"/bug "+k.Test]
			require.True(t, ok, "%s: test %s not hunted", k.Name, k.Test)
			fixed, ok := results[modPath+k.Name+"/fixed "+k.Test]
			require.True(t, ok, "%s: fixed twin not hunted", k.Name)
			if assert.NotNil(t, bug.Finding, "%s: the bug went unseen in %d runs", k.Name, bug.Runs) {
				f := bug.Finding
				assert.Contains(t, append([]Kind{k.Detector}, k.Also...), f.Kind, "%s: found by the wrong detector: %s", k.Name, f.Message)
				if k.Certainty != "" && f.Kind == k.Detector {
					assert.Equal(t, k.Certainty, f.Certainty, "%s: %s", k.Name, f.Why)
				}
				t.Logf("%s: %s in %d runs, %.1fs (%s)", k.Name, f.Kind, f.Run, f.Seconds, f.Message)
				table = append(table, fmt.Sprintf("| %s | %s | %s | %d | %.1f |", k.Name, k.Detector, f.Kind, f.Run, f.Seconds))
			}
			if assert.Nil(t, fixed.Finding, "%s: false positive on the fixed twin", k.Name) && runs > 0 {
				assert.Equal(t, runs, fixed.Runs, "%s: the fixed twin ran the whole budget", k.Name)
			} else if fixed.Finding == nil {
				assert.Positive(t, fixed.Runs, "%s: the fixed twin ran", k.Name)
			} else {
				t.Logf("false positive: %s: %s\n%s", k.Name, fixed.Finding.Message, strings.Join(fixed.Finding.Stacks, "\n"))
			}
		})
	}
	return table
}

// TestCorpus: every bug kernel is found by the detector it names, and every
// fixed twin is clean over every hunt of it: in make test within 20 runs (up
// to three hunts), the budget the corpus was first held to, which keeps the
// test to a minute; under -hunt.long (make hunt) in one hunt with the
// default budget, as a user with no flags would hunt.
func TestCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("a minute or more of real hunts: not under -short (the mutation runner's), where batches_test.go's fakes test the scheduler")
	}
	ks := loadCorpus(t, "testdata/corpus/corpus.json")
	start := time.Now()
	const modPath = "github.com/conclab/conclab/internal/hunt/testdata/corpus/"
	cfg, runs := Config{Runs: 20}, 20
	if *long {
		cfg, runs = Config{}, 0
	}
	results := huntCorpus(t, ".", "./testdata/corpus/", ks, cfg)
	if !*long {
		// A hunt is a random search: a schedule-dependent kernel is missed
		// by one hunt of 20 runs now and then (send-after-check
		// takes 8 runs of 20 at the median). make test must not flake, so
		// a kernel missed is hunted again, twice at most, with new seeds
		// and a note; make hunt (-hunt.long) holds every kernel to one.
		for attempt := 2; attempt <= 3; attempt++ {
			var missed []kernel
			for _, k := range ks {
				if results[modPath+k.Name+"/bug "+k.Test].Finding == nil {
					missed = append(missed, k)
				}
			}
			if len(missed) == 0 {
				break
			}
			for _, k := range missed {
				t.Logf("%s: not found in hunt %d of the default budget; hunting again with new seeds", k.Name, attempt-1)
			}
			for key, r := range huntCorpus(t, ".", "./testdata/corpus/", missed, cfg) {
				if r.Finding != nil {
					results[key] = r // a bug found, or a fixed twin's false positive kept
				}
			}
		}
	}
	table := checkCorpus(t, modPath, ks, results, runs)
	sort.Strings(table)
	t.Logf("corpus: %d kernels in %v\n| kernel | detector | found as | runs | seconds |\n|---|---|---|---:|---:|\n%s",
		len(ks), time.Since(start).Round(time.Second), strings.Join(table, "\n"))
}

// TestOldGoModule hunts a module whose go.mod says go 1.21 (loop variables
// shared across iterations): the injected runtime compiles at that version.
func TestOldGoModule(t *testing.T) {
	dir, err := filepath.Abs("testdata/oldgo")
	require.NoError(t, err)
	ks := loadCorpus(t, filepath.Join(dir, "corpus.json"))
	results := huntCorpus(t, dir, "./", ks, Config{Runs: 20})
	for _, k := range ks {
		bug := results["example.com/oldgo/bug "+k.Test]
		fixed := results["example.com/oldgo/fixed "+k.Test]
		if assert.NotNil(t, bug.Finding, "the loop-variable bug went unseen") {
			assert.Equal(t, k.Detector, bug.Finding.Kind)
		}
		assert.Nil(t, fixed.Finding, "false positive on the fixed twin")
	}
}
