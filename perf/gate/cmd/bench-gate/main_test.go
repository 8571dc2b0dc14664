package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/conclab/conclab/scenarios"
)

func TestMain(m *testing.M) {
	scenarios.ServeIfWorker()
	goleak.VerifyTestMain(m)
}

func TestCompare(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "empty.txt")
	require.NoError(t, os.WriteFile(empty, []byte("goos: linux\nPASS\n"), 0o644))
	for _, tc := range []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"equal/passes", []string{"../../testdata/old.txt", "../../testdata/equal.txt"}, 0, "bench-gate: ok"},
		{"slower/fails", []string{"../../testdata/old.txt", "../../testdata/slower.txt"}, 1, "bench-gate: FAIL: 2 of 2"},
		{"slower/passes-threshold=100", []string{"-threshold", "100", "../../testdata/old.txt", "../../testdata/slower.txt"}, 0, "bench-gate: ok"},
		{"noisy/passes", []string{"../../testdata/old.txt", "../../testdata/noisy.txt"}, 0, "not significant"},
		{"negative-threshold/usage", []string{"-threshold", "-1", "a", "b"}, 2, ""},
		{"one-file/usage", []string{"../../testdata/old.txt"}, 2, ""},
		{"missing-file/usage", []string{"../../testdata/old.txt", "testdata/nothing.txt"}, 2, ""},
		{"no-results/usage", []string{"../../testdata/old.txt", empty}, 2, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(append([]string{"compare"}, tc.args...), &stdout, &stderr)
			assert.Equal(t, tc.code, code, "stdout: %s\nstderr: %s", stdout.String(), stderr.String())
			assert.Contains(t, stdout.String(), tc.out)
			if tc.code == 2 {
				assert.Contains(t, stderr.String(), "bench-gate")
				assert.Equal(t, 1, strings.Count(stderr.String(), "\n"), "one line: %s", stderr.String())
			}
		})
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{nil, {"frobnicate"}, {"run"}, {"run", "-bench", "x", "one.test"}, {"run", "-bench", "x", "-min-rounds", "0", "a", "b"}} {
		var stdout, stderr bytes.Buffer
		assert.Equal(t, 2, run(args, &stdout, &stderr), "%q", args)
	}
}

// fakeBinary writes a shell script that answers like a test binary: each
// benchmark in names (a name and its ns/op, or several separated by commas
// for several runs) prints result lines, or,
// with ns/op "fail", fails as a benchmark does. -test.cpuprofile writes an
// empty profile.
func fakeBinary(t *testing.T, results ...string) string {
	t.Helper()
	var lines strings.Builder
	for i := 0; i+1 < len(results); i += 2 {
		if results[i+1] == "fail" {
			fmt.Fprintf(&lines, "echo '--- FAIL: %s'; echo '    x_test.go:1: invariant: lost an item'; echo FAIL; exit 1\n", results[i])
			continue
		}
		for _, ns := range strings.Split(results[i+1], ",") { // one line a run
			fmt.Fprintf(&lines, "echo '%s-2 \t 100\t %s ns/op'\n", results[i], ns)
		}
	}
	script := "#!/bin/sh\nfor a in \"$@\"; do case $a in -test.cpuprofile=*) : > \"${a#*=}\";; esac; done\n" +
		"echo 'goos: linux'\necho 'pkg: example.com/fake'\n" + lines.String() + "echo PASS\n"
	path := filepath.Join(t.TempDir(), "fake.test")
	require.NoError(t, os.WriteFile(path, []byte(script), 0o755))
	return path
}

func TestRun(t *testing.T) {
	for _, tc := range []struct {
		name     string
		old, new []string
		code     int
		out      []string
	}{
		{"same", []string{"BenchmarkA", "1000"}, []string{"BenchmarkA", "1000"}, 0,
			[]string{"BenchmarkA: ok", "every answer clear after 8 rounds", "bench-gate: ok"}},
		{"slower", []string{"BenchmarkA", "1000"}, []string{"BenchmarkA", "1300"}, 1,
			[]string{"BenchmarkA: REGRESSION: ratio 1.300 [1.300, 1.300] (+30.0%)", "bench-gate: FAIL", "bench-gate: profiles of BenchmarkA"}},
		{"fastest-of-runs", []string{"BenchmarkA", "1500,1000,1200"}, []string{"BenchmarkA", "1300,1400,1350"}, 1,
			[]string{"BenchmarkA: REGRESSION: ratio 1.300 [1.300, 1.300] (+30.0%)"}},
		{"one-side-only", []string{"BenchmarkA", "1000", "BenchmarkGone", "5"}, []string{"BenchmarkA", "1000", "BenchmarkAdded", "5"}, 0,
			[]string{"BenchmarkGone: old side only", "BenchmarkAdded: new side only", "bench-gate: ok"}},
		{"nothing-in-common", []string{"BenchmarkOld", "1000"}, []string{"BenchmarkNew", "1000"}, 0,
			[]string{"bench-gate: SKIPPED: no benchmark"}},
		{"new-fails", []string{"BenchmarkA", "1000"}, []string{"BenchmarkA", "fail"}, 1,
			[]string{"bench-gate: FAIL: a new benchmark fails: ", "--- FAIL: BenchmarkA x_test.go:1: invariant: lost an item"}},
		{"old-fails", []string{"BenchmarkA", "fail"}, []string{"BenchmarkA", "1000"}, 0,
			[]string{"bench-gate: SKIPPED: the old benchmarks fail"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			var stdout, stderr bytes.Buffer
			code := run([]string{"run", "-q", "-bench", ".", "-out", dir, "-profiles", filepath.Join(dir, "prof"),
				fakeBinary(t, tc.old...), fakeBinary(t, tc.new...)}, &stdout, &stderr)
			assert.Equal(t, tc.code, code, "stdout: %s\nstderr: %s", stdout.String(), stderr.String())
			for _, want := range tc.out {
				assert.Contains(t, stdout.String(), want)
			}
			if tc.name == "slower" {
				assert.FileExists(t, filepath.Join(dir, "prof", "A.old.pb.gz"))
				assert.FileExists(t, filepath.Join(dir, "prof", "A.new.pb.gz"))
				old, err := os.ReadFile(filepath.Join(dir, "old.txt"))
				require.NoError(t, err)
				assert.Equal(t, 12, strings.Count(string(old), "BenchmarkA-2"), "every measurement recorded for benchstat")
				assert.True(t, strings.HasPrefix(string(old), "goos: linux\npkg: example.com/fake\n"))
			}
		})
	}
}
