package instrument_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/internal/hunt/instrument"
)

// goList lists the packages matching pattern from dir.
func goList(t *testing.T, dir string, patterns ...string) []instrument.Package {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list", "-json"}, patterns...)...)
	cmd.Dir = dir
	out, err := cmd.Output()
	require.NoError(t, err, "go list %v", patterns)
	var pkgs []instrument.Package
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p instrument.Package
		require.NoError(t, dec.Decode(&p))
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// buildHunted instruments the package pattern (run from dir) and builds its
// test binary as the driver does.
func buildHunted(t *testing.T, work, dir, pattern string, opts instrument.Options, extra ...string) string {
	t.Helper()
	pkgs := goList(t, dir, pattern)
	b, err := instrument.Instrument(work, pkgs, opts)
	require.NoError(t, err)
	bin := filepath.Join(work, "test.bin")
	args := append([]string{"test", "-c", "-race", "-vet=off", "-o", bin}, b.Flags()...)
	args = append(args, extra...)
	cmd := exec.Command("go", append(args, pattern)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go %s\n%s", strings.Join(args, " "), out)
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
