package gate_test

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/conclab/conclab/perf/gate"
	"github.com/conclab/conclab/scenarios"
)

var update = flag.Bool("update", false, "rewrite testdata/*.csv with the output of go tool benchstat")

func TestMain(m *testing.M) {
	scenarios.ServeIfWorker()
	goleak.VerifyTestMain(m)
}

// Each fixture is benchstat's comparison of testdata/old.txt with
// testdata/NEW.txt, recorded in testdata/NEW.csv. The .txt files say in their
// first line what they hold.
var fixtures = []struct {
	new       string
	threshold float64
	fail      bool
	why       string
}{
	{"equal", gate.DefaultThreshold, false, "the same code measured twice passes"},
	{"slower", gate.DefaultThreshold, true, "20% slower in every run fails"},
	{"slower", 0.25, false, "20% slower passes a 25% threshold"},
	{"noisy", gate.DefaultThreshold, false, "a median 12% slower that benchstat calls noise passes"},
	{"noisy", 0, false, "noise passes even a zero threshold"},
	{"slightly-slower", gate.DefaultThreshold, false, "5% slower, significant but under the threshold, passes"},
	{"slightly-slower", 0.03, true, "5% slower fails a 3% threshold"},
	{"faster", gate.DefaultThreshold, false, "20% faster passes"},
}

func TestDecide(t *testing.T) {
	for _, tc := range fixtures {
		t.Run(tc.new+"/threshold="+pct(tc.threshold), func(t *testing.T) {
			rows := parseFixture(t, tc.new)
			findings, failed := gate.Decide(rows, tc.threshold)
			assert.Equal(t, tc.fail, failed, tc.why)
			// sec/op and ops/s of Counter/mutex; sec/op, items/s and
			// sec/item of the scenario. B/op and allocs/op are not gated.
			assert.Len(t, findings, 5, "every time and rate row is measured, no other")
			for _, f := range findings {
				assert.NotContains(t, []string{"B/op", "allocs/op"}, f.Unit)
			}
		})
	}
}

func TestSlowdownAgreesAcrossUnits(t *testing.T) {
	rows := parseFixture(t, "slower")
	findings, _ := gate.Decide(rows, gate.DefaultThreshold)
	for _, f := range findings {
		assert.InDelta(t, 0.20, f.Slowdown, 0.02, "%s: 20%% slower in time per op and in rate alike", f)
	}
}

func TestParseCSV(t *testing.T) {
	rows := parseFixture(t, "slower")
	require.NotEmpty(t, rows)
	assert.Equal(t, gate.Row{
		Benchmark: "Counter/mutex-2",
		Unit:      "sec/op",
		Old:       6.1185e-09,
		New:       7.349500000000001e-09,
		Delta:     "+20.12%",
		P:         "p=0.002 n=6",
	}, rows[0])
	units := map[string]bool{}
	for _, r := range rows {
		units[r.Unit] = true
		assert.NotEqual(t, "geomean", r.Benchmark)
	}
	assert.Equal(t, map[string]bool{"sec/op": true, "B/op": true, "allocs/op": true, "ops/s": true, "items/s": true, "sec/item": true}, units)
}

func TestParseCSVRejects(t *testing.T) {
	for _, tc := range []struct{ name, in, err string }{
		{"empty", "", "no comparison table found"},
		{"one-file", "goos: linux\n,old.txt,\n,sec/op,CI\nFoo-2,1e-09,1%\n", "no comparison table found"},
		{"three-files", ",a,,b,,c,,,,\n,sec/op,CI,sec/op,CI,vs base,P,sec/op,CI,vs base,P\n", "exactly two files"},
		{"bad-number", ",a,,b,,,\n,sec/op,CI,sec/op,CI,vs base,P\nFoo-2,fast,1%,1e-09,1%,~,p=1.000 n=6\n", `old value "fast"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := gate.ParseCSV(strings.NewReader(tc.in))
			assert.ErrorContains(t, err, tc.err)
		})
	}
}

// TestFixturesAreBenchstatOutput checks that the recorded comparisons are
// what the benchstat pinned in go.mod prints today, so that the gate is
// tested on the format it will read. Run with -update to record them again.
func TestFixturesAreBenchstatOutput(t *testing.T) {
	if testing.Short() && !*update {
		t.Skip("runs go tool benchstat; skipped in -short")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	seen := map[string]bool{}
	for _, tc := range fixtures {
		if seen[tc.new] {
			continue
		}
		seen[tc.new] = true
		t.Run(tc.new, func(t *testing.T) {
			cmd := exec.Command(goCmd, "tool", "benchstat", "-format", "csv", "old.txt", tc.new+".txt")
			cmd.Dir = "testdata"
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			require.NoError(t, cmd.Run(), "benchstat: %s", stderr.String())
			path := filepath.Join("testdata", tc.new+".csv")
			if *update {
				require.NoError(t, os.WriteFile(path, stdout.Bytes(), 0o644))
				return
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, string(want), stdout.String(), "benchstat's output has changed: run go test -update and review")
		})
	}
}

func parseFixture(t *testing.T, name string) []gate.Row {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name+".csv"))
	require.NoError(t, err)
	defer f.Close()
	rows, err := gate.ParseCSV(f)
	require.NoError(t, err)
	return rows
}

// pct formats a fraction as a percentage for a test name: 0.1 is "10%".
func pct(f float64) string { return strconv.FormatFloat(100*f, 'f', -1, 64) + "%" }
