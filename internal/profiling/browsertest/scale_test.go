package browsertest

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/internal/pprofkit"
	"github.com/conclab/conclab/internal/scale"
)

// writeScaleReport writes the files of a `conclab scale -base` run of one
// benchmark at n = 1 and 2 (the profiles, flame graphs and differential
// flame graphs, from the fixture's profiles), renders its report with
// package scale, and returns its directory.
func writeScaleReport(t *testing.T) string {
	t.Helper()
	out := t.TempDir()
	bench := func(dir string, stacks map[string]int64, diff bool) *scale.Benchmark {
		b := &scale.Benchmark{Package: "example.com/shop", Name: "BenchmarkCart", Dir: dir}
		for _, n := range []int{1, 2} {
			p := &scale.Point{Procs: n, NsPerOp: []float64{1000 / float64(n), 1010 / float64(n)}, Overheads: pprofkit.Overheads{Samples: 100},
				CPUFile: fmt.Sprintf("cpu-%d.pb.gz", n), Flame: fmt.Sprintf("cpu-%d.svg", n)}
			writeProfile(t, filepath.Join(out, dir, p.CPUFile), cpuProfile(stacks))
			f, err := os.Create(filepath.Join(out, dir, p.Flame))
			require.NoError(t, err)
			require.NoError(t, pprofkit.WriteFlameGraph(f, cpuProfile(stacks), "BenchmarkCart"))
			require.NoError(t, f.Close())
			if diff {
				p.DiffFlame = fmt.Sprintf("diff-%d.svg", n)
				require.NoError(t, pprofkit.WriteDiffFlameGraphFile(filepath.Join(out, dir, p.DiffFlame), cpuProfile(cpuBound), cpuProfile(cpuBoundSlower), "BenchmarkCart: base → work tree"))
			}
			b.Points = append(b.Points, p)
		}
		return b
	}
	res := &scale.Results{
		Machine:    pprofkit.Machine{CPU: "Example CPU", Cores: 2, Go: "go1.26.0", OS: "linux", Arch: "amd64"},
		Benchmarks: []*scale.Benchmark{bench("shop.Cart", cpuBoundSlower, true)},
		BaseRef:    "HEAD~1",
		Base:       []*scale.Benchmark{bench("base/shop.Cart", cpuBound, false)},
	}
	require.NoError(t, res.Write(out))
	runs, err := scale.ReadResults(out)
	require.NoError(t, err)
	require.NoError(t, scale.NewReport(out, runs).Write())
	return out
}

// testScaleReport opens the report of `conclab scale -base`: no console
// error, and every chart, flame graph and differential flame graph it
// links resolves.
func testScaleReport(t *testing.T, b *browser) {
	dir := writeScaleReport(t)
	tb := b.newTab(t)
	tb.open(serve(t, dir) + "/report.html")
	var res resources
	tb.eval(brokenResources, &res)
	assert.Empty(t, res.Bad, "every image, graph and link resolves")
	var diffs int
	tb.eval(`document.querySelectorAll('a[href$="/diff-1.svg"], a[href$="/diff-2.svg"]').length`, &diffs)
	assert.Equal(t, 2, diffs, "the differential flame graphs are linked")
	assert.Empty(t, tb.consoleErrors(), "the scale report loads without errors")
	tb.screenshot("scale-report")

	tb.open(serve(t, dir) + "/shop.Cart/diff-2.svg")
	assert.Empty(t, tb.consoleErrors(), "a linked differential flame graph opens without errors")
}
