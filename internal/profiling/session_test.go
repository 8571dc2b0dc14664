package profiling_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/internal/profiling"
	"github.com/conclab/conclab/scenarios"
)

// quick is a scenario whose round is a little arithmetic: enough for the
// profiler to run, fast enough to record many times.
func quick(name string) *scenarios.Scenario {
	return &scenarios.Scenario{
		Name: name, Section: scenarios.ProcessPerCore, Kind: scenarios.CPU,
		Defaults: scenarios.Config{Items: 1000},
		Run: func(ctx context.Context, cfg scenarios.Config) (scenarios.Result, error) {
			var sum int64
			for i := range cfg.Items {
				sum += int64(i)
			}
			return scenarios.Result{Items: cfg.Items, Total: sum}, ctx.Err()
		},
		Check: func(scenarios.Config, scenarios.Result) error { return nil },
	}
}

func sessionOf(t *testing.T, dir string, n int) string {
	t.Helper()
	run, err := profiling.ReadRun(filepath.Join(dir, filepathf("run-%d.json", n)))
	require.NoError(t, err)
	return run.Session
}

func TestInterruptedSessionKeepsEarlierRecordings(t *testing.T) {
	out := t.TempDir()
	opts := profiling.Options{Dir: out, Scenarios: []*scenarios.Scenario{quick("first"), quick("second")}, Procs: []int{1, 2}, MinWall: time.Millisecond}
	_, err := profiling.ProfileAll(t.Context(), opts)
	require.NoError(t, err)
	first, second := filepath.Join(out, "first"), filepath.Join(out, "second")
	before := sessionOf(t, second, 2)

	// Interrupted while the second scenario's n=2 recording starts: the
	// first scenario's new recordings are complete and replace the old,
	// the second's are not and leave the old in place.
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	opts.Progress = func(step, steps int, what string) {
		if what == "second GOMAXPROCS=2" {
			cancel()
		}
	}
	runs, err := profiling.ProfileAll(ctx, opts)
	require.ErrorIs(t, err, context.Canceled)
	assert.Len(t, runs, 2, "the first scenario's two recordings completed")
	assert.NotEqual(t, before, sessionOf(t, first, 2), "a complete scenario is replaced")
	assert.Equal(t, before, sessionOf(t, second, 1), "an interrupted scenario keeps its earlier n=1 recording")
	assert.Equal(t, before, sessionOf(t, second, 2), "and its n=2 recording")
	assert.FileExists(t, filepath.Join(second, "cpu-2.pb.gz"))
	entries, err := os.ReadDir(out)
	require.NoError(t, err)
	for _, e := range entries {
		assert.NotContains(t, e.Name(), ".partial-", "no staging directory left behind")
	}
}

func TestFreshSessionStartsClean(t *testing.T) {
	out := t.TempDir()
	_, err := profiling.ProfileAll(t.Context(), profiling.Options{Dir: out, Scenarios: []*scenarios.Scenario{quick("old")}, Procs: []int{1}, MinWall: time.Millisecond})
	require.NoError(t, err)
	_, err = profiling.Report(out, out)
	require.NoError(t, err)
	require.FileExists(t, filepath.Join(out, "speedup-old.svg"))
	keep := filepath.Join(out, "notes.txt")
	require.NoError(t, os.WriteFile(keep, []byte("mine"), 0o644))

	_, err = profiling.ProfileAll(t.Context(), profiling.Options{Dir: out, Scenarios: []*scenarios.Scenario{quick("new")}, Procs: []int{1}, MinWall: time.Millisecond, Fresh: true})
	require.NoError(t, err)
	d, err := profiling.Report(out, out)
	require.NoError(t, err)
	require.Len(t, d.Scenarios, 1, "only this session's scenario")
	assert.Equal(t, "new", d.Scenarios[0].Name)
	assert.NoDirExists(t, filepath.Join(out, "old"))
	assert.NoFileExists(t, filepath.Join(out, "speedup-old.svg"))
	assert.FileExists(t, keep, "files that are not recordings stay")
}
