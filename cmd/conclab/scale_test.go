package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestScaleBadInputExit2(t *testing.T) {
	broken, err := filepath.Abs("../../internal/scale/testdata/broken")
	require.NoError(t, err)
	for _, tc := range []struct {
		name, dir string
		args      []string
		want      string
	}{
		{"cpu-zero", broken, []string{"-cpu", "0"}, "-cpu 0: must be between 1 and"},
		{"cpu-not-a-number", broken, []string{"-cpu", "1,x"}, `is not a whole number`},
		{"bad-benchtime", broken, []string{"-benchtime", "soon"}, `-benchtime "soon"`},
		{"bad-regexp", broken, []string{"-bench", "("}, `-bench "("`},
		{"not-a-go-package", t.TempDir(), nil, "conclab scale: go list"},
		{"unknown-base-ref", broken, []string{"-base", "no-such-ref-anywhere"}, "-base no-such-ref-anywhere: "},
		{"no-benchmark-matches", broken, []string{"-bench", "NoSuchBenchmark"}, `no benchmark matches -bench "NoSuchBenchmark"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Chdir(tc.dir)
			out := filepath.Join(t.TempDir(), "out")
			code, _, stderr := conclab(t, append([]string{"scale", "-quiet", "-out", out}, tc.args...)...)
			assert.Equal(t, 2, code, stderr)
			assert.Contains(t, stderr, tc.want)
			assert.NoDirExists(t, out, "nothing left behind on bad input")
		})
	}
}

// A benchmark that panics at n = 2 is reported; the other benchmark and the
// other n are kept; the exit status is 1. Merging the run with itself makes
// a report of two runs.
func TestScaleFailingBenchmarkExit1(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds and runs a module's benchmarks")
	}
	broken, err := filepath.Abs("../../internal/scale/testdata/broken")
	require.NoError(t, err)
	t.Chdir(broken)
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := conclab(t, "scale", "-quiet", "-cpu", "1,2", "-benchtime", "100x", "-out", out)
	assert.Equal(t, 1, code, stderr)
	assert.Contains(t, stdout, "panic: broken at two")
	report, err := os.ReadFile(filepath.Join(out, "report.md"))
	require.NoError(t, err)
	assert.Contains(t, string(report), "## BenchmarkFine")
	assert.FileExists(t, filepath.Join(out, "broken.PanicsAtTwo", "cpu-1.svg"), "n = 1 kept")
	assert.FileExists(t, filepath.Join(out, "broken.Fine", "cpu-2.svg"))

	merged := filepath.Join(t.TempDir(), "merged")
	code, stdout, stderr = conclab(t, "scale", "-quiet", "-merge", "-out", merged, out, out)
	assert.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "RUN")
	assert.FileExists(t, filepath.Join(merged, "report.html"))
}

// -base HEAD measures the committed module from a temporary worktree,
// compares, draws the differential flame graph and removes the worktree.
func TestScaleBase(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds and runs a module's benchmarks twice")
	}
	if err := exec.Command("git", "rev-parse", "HEAD").Run(); err != nil {
		t.Skip("not in a git checkout: -base needs one")
	}
	broken, err := filepath.Abs("../../internal/scale/testdata/broken")
	require.NoError(t, err)
	t.Chdir(broken)
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := conclab(t, "scale", "-quiet", "-base", "HEAD", "-bench", "Fine", "-cpu", "1", "-count", "2", "-benchtime", "1000x", "-out", out)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "BenchmarkFine")
	assert.FileExists(t, filepath.Join(out, "base", "broken.Fine", "cpu-1.pb.gz"))
	assert.FileExists(t, filepath.Join(out, "broken.Fine", "diff-1.svg"))
	report, err := os.ReadFile(filepath.Join(out, "report.md"))
	require.NoError(t, err)
	assert.Contains(t, string(report), "Against the base")
	assert.Contains(t, string(report), "(broken.Fine/diff-1.svg)")
	list, err := exec.Command("git", "worktree", "list").Output()
	require.NoError(t, err)
	assert.NotContains(t, string(list), "conclab-scale-base", "the base worktree is removed")
}
