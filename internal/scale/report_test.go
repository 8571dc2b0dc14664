package scale

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/internal/pprofkit"
)

// results is a run on a machine with cores cores whose benchmark follows
// the law with σ = 0.1, κ = 0.01 at each n given.
func results(cores int, ns ...int) *Results {
	b := &Benchmark{Package: "example.com/m", Name: "BenchmarkX", Dir: "m.X"}
	for _, n := range ns {
		nsOp := 1000 / uslSpeedup(0.1, 0.01, float64(n))
		b.Points = append(b.Points, &Point{Procs: n, NsPerOp: []float64{nsOp, nsOp}, Overheads: pprofkit.Overheads{Samples: 200}, CPUFile: "cpu.pb.gz"})
	}
	return &Results{Machine: pprofkit.Machine{Cores: cores, CPU: "Test CPU"}, Benchmarks: []*Benchmark{b}}
}

func TestReportFitsOnlyWithinTheCores(t *testing.T) {
	r := NewReport(t.TempDir(), []*Results{results(8, 1, 2, 4, 8, 16)})
	s := r.Benchmarks[0].Series[0]
	require.NotNil(t, s.Fit, s.FitNote)
	assert.Equal(t, 4, s.Fit.Cores, "n = 16 is past the machine's 8 cores")
	assert.InEpsilon(t, 0.1, s.Fit.Sigma, 0.05)
	assert.InEpsilon(t, 0.01, s.Fit.Kappa, 0.05)
	assert.Contains(t, s.fitText(), "n = 16 left out of the fit")

	r = NewReport(t.TempDir(), []*Results{results(2, 1, 2, 4)})
	s = r.Benchmarks[0].Series[0]
	assert.Nil(t, s.Fit)
	assert.Contains(t, s.fitText(), "fewer than three core counts")
}

func TestReportMergesRuns(t *testing.T) {
	out := t.TempDir()
	dirs := []string{filepath.Join(out, "laptop"), filepath.Join(out, "ci")}
	for i, res := range []*Results{results(2, 1, 2), results(8, 1, 2, 4, 8)} {
		require.NoError(t, os.MkdirAll(dirs[i], 0o755))
		require.NoError(t, res.Write(dirs[i]))
	}
	runs, err := ReadResults(out)
	require.NoError(t, err)
	require.Len(t, runs, 2)
	r := NewReport(out, runs)
	require.Len(t, r.Benchmarks, 1, "one benchmark, measured on two machines")
	assert.Len(t, r.Benchmarks[0].Series, 2)
	require.NoError(t, r.Write())
	md, err := os.ReadFile(filepath.Join(out, "report.md"))
	require.NoError(t, err)
	assert.Contains(t, string(md), "2 × Test CPU (laptop)")
	assert.Contains(t, string(md), "8 × Test CPU (ci)")
	assert.Contains(t, string(md), "go tool pprof -http=:0 laptop/m.X/cpu.pb.gz", "links relative to the report")
	svg, err := os.ReadFile(filepath.Join(out, r.Benchmarks[0].Chart))
	require.NoError(t, err)
	assert.Equal(t, 2, strings.Count(string(svg), "<polyline")-1, "two measured lines and one fit (the 2-core run has too few core counts)")
	var sum strings.Builder
	require.NoError(t, r.WriteSummary(&sum))
	assert.Contains(t, sum.String(), "RUN")
}

func TestReadResultsRejects(t *testing.T) {
	dir := t.TempDir()
	_, err := ReadResults(dir)
	assert.ErrorContains(t, err, "no scale.json")
	require.NoError(t, os.WriteFile(filepath.Join(dir, ResultsFile), []byte("{"), 0o644))
	_, err = ReadResults(dir)
	assert.ErrorContains(t, err, "scale.json")
}
