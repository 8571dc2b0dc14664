package main

import (
	"os"
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
		{"unknown-base-ref", broken, []string{"-base", "no-such-ref-anywhere"}, "-base no-such-ref-anywhere: no such commit"},
		{"no-benchmark-matches", broken, []string{"-bench", "NoSuchBenchmark"}, `no benchmark matches -bench "NoSuchBenchmark"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Chdir(tc.dir)
			out := filepath.Join(t.TempDir(), "out")
			code, _, stderr := conclab(t, append([]string{"scale", "-quiet", "-out", out}, tc.args...)...)
			assert.Equal(t, 2, code, stderr)
			assert.Contains(t, stderr, tc.want)
			assert.NoFileExists(t, filepath.Join(out, "report.md"), "no report on bad input")
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
