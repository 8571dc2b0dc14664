package gate_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/conclab/conclab/perf/gate"
	"github.com/conclab/conclab/scenarios"
)

func TestMain(m *testing.M) {
	scenarios.ServeIfWorker()
	goleak.VerifyTestMain(m)
}

// jitter is a fixed spread of ±2 % around 1, symmetric, twelve rounds long.
var jitter = []float64{1.00, 1.02, 0.98, 1.01, 0.99, 1.015, 0.985, 1.005, 0.995, 1.02, 0.98, 1.0}

// paired builds n rounds where old runs at 100 ns times a jitter and new at
// old × factor × another jitter, so that the ratios spread by a few percent.
func paired(name string, n int, factor float64) *gate.Series {
	s := &gate.Series{Name: name}
	for i := range n {
		old := 100 * jitter[i%len(jitter)]
		s.Old = append(s.Old, old)
		s.New = append(s.New, old*factor*jitter[(i*5+3)%len(jitter)])
	}
	return s
}

func TestAssess(t *testing.T) {
	for _, tc := range []struct {
		name    string
		factor  float64
		verdict gate.Verdict
		why     string
	}{
		{"same", 1, gate.Pass, "not significant"},
		{"20-percent-slower", 1.2, gate.Fail, "q ≤ α"},
		{"10-percent-slower", 1.1, gate.Fail, "q ≤ α"},
		{"1-percent-slower", 1.01, gate.Pass, ""},
		{"20-percent-faster", 0.8, gate.Pass, "not significant"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := gate.Assess([]*gate.Series{paired("B", 12, tc.factor)}, gate.DefaultRule, true)
			require.Len(t, f, 1)
			assert.Equal(t, tc.verdict, f[0].Verdict, f[0].String())
			assert.Contains(t, f[0].Why, tc.why)
			assert.InDelta(t, tc.factor, f[0].Ratio, 0.02)
			assert.LessOrEqual(t, f[0].Lo, f[0].Ratio)
			assert.GreaterOrEqual(t, f[0].Hi, f[0].Ratio)
		})
	}
}

// A significant slowdown under the floor passes; the same above it fails.
func TestAssessFloor(t *testing.T) {
	s := &gate.Series{Name: "B"}
	for i := range 12 {
		s.Old = append(s.Old, 100)
		s.New = append(s.New, 102+0.01*float64(i)) // 2 % slower every round
	}
	f := gate.Assess([]*gate.Series{s}, gate.DefaultRule, true)[0]
	assert.Equal(t, gate.Pass, f.Verdict)
	assert.Contains(t, f.Why, "under the floor")
	low := gate.DefaultRule
	low.Threshold = 0.05 // floor 1.5 %
	assert.Equal(t, gate.Fail, gate.Assess([]*gate.Series{s}, low, true)[0].Verdict)
}

// Benjamini–Hochberg across benchmarks: a p of 1/64 (6 rounds, all
// slower) fails alone, but not among many benchmarks that did not change.
func TestAssessAdjustsAcrossBenchmarks(t *testing.T) {
	slow := paired("slow", 6, 1.2)
	alone := gate.Assess([]*gate.Series{slow}, gate.DefaultRule, true)
	assert.Equal(t, gate.Fail, alone[0].Verdict)
	assert.InDelta(t, 1.0/64, alone[0].Q, 1e-12)
	series := []*gate.Series{slow}
	for range 4 {
		series = append(series, paired("same", 6, 1))
	}
	crowd := gate.Assess(series, gate.DefaultRule, true)
	assert.InDelta(t, 5.0/64, crowd[0].Q, 1e-12)
	assert.Equal(t, gate.Pass, crowd[0].Verdict, crowd[0].String())
}

func TestAssessLooks(t *testing.T) {
	for _, tc := range []struct {
		name    string
		s       *gate.Series
		verdict gate.Verdict
	}{
		{"clear-slowdown", paired("B", 12, 1.3), gate.Fail},          // p = 1/4096, interval above the floor
		{"too-few-for-interim", paired("B", 8, 1.3), gate.Undecided}, // p = 1/256 > 0.001
		{"clear-pass", paired("B", 12, 0.95), gate.Pass},             // interval below the floor
		{"near-floor", paired("B", 12, 1.03), gate.Undecided},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := gate.Assess([]*gate.Series{tc.s}, gate.DefaultRule, false)[0]
			assert.Equal(t, tc.verdict, f.Verdict, f.String())
		})
	}
}

func TestFindingString(t *testing.T) {
	f := gate.Assess([]*gate.Series{paired("BenchmarkGate/counter/mutex", 12, 1.15)}, gate.DefaultRule, true)[0]
	s := f.String()
	for _, want := range []string{"BenchmarkGate/counter/mutex", "REGRESSION", "ratio 1.1", "[1.", "p=", "q=", "n=12", "q ≤ α=0.05 and ratio ≥ floor 1.030"} {
		assert.Contains(t, s, want)
	}
}

// Each fixture in testdata is `go test -bench -count 6` output, compared
// with old.txt; the first line of each says what it holds.
func TestCompareFixtures(t *testing.T) {
	for _, tc := range []struct {
		new       string
		threshold float64
		fail      bool
		why       string
	}{
		{"equal", gate.DefaultThreshold, false, "the same code measured twice passes"},
		{"slower", gate.DefaultThreshold, true, "20% slower in every run fails"},
		{"slower", 1, false, "20% slower is under the 30% floor of a 100% threshold"},
		{"noisy", gate.DefaultThreshold, false, "a median 12% slower, runs on both sides of old, passes"},
		{"slightly-slower", gate.DefaultThreshold, true, "5% slower in every run is above the 3% floor"},
		{"slightly-slower", 0.20, false, "5% slower passes a 20% threshold (6% floor)"},
		{"faster", gate.DefaultThreshold, false, "20% faster passes"},
	} {
		t.Run(tc.new, func(t *testing.T) {
			series, oldOnly, newOnly := gate.Pair(parseFile(t, "old"), parseFile(t, tc.new))
			require.Len(t, series, 2)
			assert.Empty(t, oldOnly)
			assert.Empty(t, newOnly)
			r := gate.DefaultRule
			r.Threshold = tc.threshold
			failed := false
			for _, f := range gate.Assess(series, r, true) {
				assert.Equal(t, 6, f.Pairs)
				failed = failed || f.Verdict == gate.Fail
			}
			assert.Equal(t, tc.fail, failed, tc.why)
		})
	}
}

func TestParseBench(t *testing.T) {
	rs := parseFile(t, "slower")
	require.Len(t, rs, 12)
	assert.Equal(t, "BenchmarkCounter/mutex", rs[0].Name)
	assert.Equal(t, 190000000, rs[0].Iterations)
	assert.Equal(t, 7.335, rs[0].NsPerOp)

	_, err := gate.ParseBench(strings.NewReader("BenchmarkX-2\t100\t5 B/op\t1 allocs/op\n"))
	assert.ErrorContains(t, err, "no ns/op")
	rs, err = gate.ParseBench(strings.NewReader("goos: linux\nBenchmarkX-2 \t some log line\nPASS\n"))
	require.NoError(t, err)
	assert.Empty(t, rs)
}

func TestPairOneSided(t *testing.T) {
	old := []gate.Result{{Name: "A", NsPerOp: 1}, {Name: "Gone", NsPerOp: 1}, {Name: "A", NsPerOp: 2}, {Name: "A", NsPerOp: 3}}
	nw := []gate.Result{{Name: "A", NsPerOp: 1}, {Name: "Added", NsPerOp: 1}, {Name: "A", NsPerOp: 2}}
	series, oldOnly, newOnly := gate.Pair(old, nw)
	require.Len(t, series, 1)
	assert.Equal(t, []float64{1, 2}, series[0].Old, "pairs cut to the shorter side")
	assert.Equal(t, []string{"Gone"}, oldOnly)
	assert.Equal(t, []string{"Added"}, newOnly)
}

func parseFile(t *testing.T, name string) []gate.Result {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name+".txt"))
	require.NoError(t, err)
	defer f.Close()
	rs, err := gate.ParseBench(f)
	require.NoError(t, err)
	return rs
}
