package instrument_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/internal/gotool"
	"github.com/conclab/conclab/internal/hunt/instrument"
)

// goList lists the packages matching pattern from dir.
func goList(t *testing.T, dir string, patterns ...string) []instrument.Package {
	t.Helper()
	listed, err := gotool.List(t.Context(), dir, nil, patterns...)
	require.NoError(t, err, "go list %v", patterns)
	var pkgs []instrument.Package
	for _, p := range listed {
		pkgs = append(pkgs, *p)
	}
	return pkgs
}

// buildHunted instruments the package pattern (run from dir) and builds its
// test binary as the driver does.
func buildHunted(t *testing.T, work, dir, pattern string, opts instrument.Options) string {
	t.Helper()
	pkgs := goList(t, dir, pattern)
	b, err := instrument.Instrument(work, pkgs, opts)
	require.NoError(t, err)
	bin := filepath.Join(work, "test.bin")
	err = gotool.BuildTest(t.Context(), dir, gotool.TestBuild{Package: pattern, Output: bin, Race: true, NoVet: true, Overlay: b.Overlay, ModFile: b.ModFile})
	if be, ok := errors.AsType[*gotool.BuildError](err); ok {
		require.NoError(t, err, "%s", be.Output)
	}
	require.NoError(t, err)
	return bin
}

// A finding is one JSON line of CONCLAB_HUNT_REPORT.
type finding struct {
	Kind      string   `json:"kind"`
	Test      string   `json:"test"`
	Iteration int      `json:"iteration"`
	Seed      uint64   `json:"seed"`
	Message   string   `json:"message"`
	Stacks    []string `json:"stacks"`
}

type run struct {
	findings []finding
	output   string
	exit     int
}

// runHunted runs one test of bin with the runtime's environment.
func runHunted(t *testing.T, bin, dir, test string, env ...string) run {
	t.Helper()
	report := filepath.Join(t.TempDir(), "report.jsonl")
	args := []string{"-test.run", "^" + test + "$", "-test.v", "-test.timeout=0"}
	cmd := exec.Command(bin)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CONCLAB_HUNT_REPORT="+report, "CONCLAB_HUNT_SEED=1", "CONCLAB_HUNT_STALL=400ms", "CONCLAB_HUNT_GRACE=1s")
	for _, e := range env {
		if strings.HasPrefix(e, "-") {
			args = append(args, e)
		} else {
			cmd.Env = append(cmd.Env, e)
		}
	}
	cmd.Args = append(cmd.Args, args...)
	out, err := cmd.CombinedOutput()
	r := run{output: string(out)}
	if ee, ok := err.(*exec.ExitError); ok {
		r.exit = ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	if f, err := os.Open(report); err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var fd finding
			require.NoError(t, json.Unmarshal(sc.Bytes(), &fd), sc.Text())
			if fd.Kind == "" && bytes.HasPrefix(sc.Bytes(), []byte(`{"coverage":`)) {
				continue // what the run reached, for hunt's schedule (rt/cover.go)
			}
			r.findings = append(r.findings, fd)
		}
	}
	return r
}

// lineOf returns the line of file carrying the comment marker.
func lineOf(t *testing.T, file, marker string) int {
	t.Helper()
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	for i, l := range strings.Split(string(data), "\n") {
		if strings.Contains(l, "LINE:"+marker) {
			return i + 1
		}
	}
	t.Fatalf("no marker %s in %s", marker, file)
	return 0
}
