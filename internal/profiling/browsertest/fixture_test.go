package browsertest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/pprof/profile"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/internal/pprofkit"
	"github.com/conclab/conclab/internal/profiling"
)

const scenarios = "github.com/conclab/conclab/scenarios."

// cpuBound is the CPU profile of the flame graph tests, 100 samples of
// 10 ms, stacks root first: scenarios.mix has 60 % of the CPU, the
// scenarios.SquareNumbers that calls it 70 % with its own 10 %.
var cpuBound = map[string]int64{
	"runtime.goexit;" + scenarios + "cpuBound.func1;" + scenarios + "SquareNumbers;" + scenarios + "mix": 60,
	"runtime.goexit;" + scenarios + "cpuBound.func1;" + scenarios + "SquareNumbers":                      10,
	"runtime.goexit;" + scenarios + "cpuBound.func1;runtime.mallocgc":                                    5,
	"runtime.goexit;runtime.gcBgMarkWorker;runtime.gcDrain;runtime.scanobject":                           15,
	"runtime.mcall;runtime.park_m;runtime.schedule;runtime.findRunnable":                                 10,
}

// cpuBoundSlower is cpuBound after a change: mix grew to 75 %, the
// allocations are gone (runtime.mallocgc is only in the old profile) and a
// new function appeared.
var cpuBoundSlower = map[string]int64{
	"runtime.goexit;" + scenarios + "cpuBound.func1;" + scenarios + "SquareNumbers;" + scenarios + "mix":      75,
	"runtime.goexit;" + scenarios + "cpuBound.func1;" + scenarios + "SquareNumbers":                           8,
	"runtime.goexit;" + scenarios + "cpuBound.func1;" + scenarios + "SquareNumbers;" + scenarios + "checksum": 4,
	"runtime.goexit;runtime.gcBgMarkWorker;runtime.gcDrain;runtime.scanobject":                                5,
	"runtime.mcall;runtime.park_m;runtime.schedule;runtime.findRunnable":                                      8,
}

// cpuProfile returns a CPU profile with count samples of 10 ms at each
// stack, given root first and separated by ";".
func cpuProfile(stacks map[string]int64) *profile.Profile {
	p := &profile.Profile{
		SampleType:    []*profile.ValueType{{Type: "samples", Unit: "count"}, {Type: "cpu", Unit: "nanoseconds"}},
		PeriodType:    &profile.ValueType{Type: "cpu", Unit: "nanoseconds"},
		Period:        int64(10 * time.Millisecond),
		DurationNanos: int64(time.Second),
	}
	locs := map[string]*profile.Location{}
	for stack, count := range stacks {
		names := strings.Split(stack, ";")
		s := &profile.Sample{Value: []int64{count, count * p.Period}}
		for i := len(names) - 1; i >= 0; i-- {
			l := locs[names[i]]
			if l == nil {
				id := uint64(len(locs) + 1)
				fn := &profile.Function{ID: id, Name: names[i], SystemName: names[i]}
				l = &profile.Location{ID: id, Address: 0x1000 * id, Line: []profile.Line{{Function: fn, Line: 1}}}
				locs[names[i]] = l
				p.Function = append(p.Function, fn)
				p.Location = append(p.Location, l)
			}
			s.Location = append(s.Location, l)
		}
		p.Sample = append(p.Sample, s)
	}
	return p
}

// writeProfile writes p gzipped to path.
func writeProfile(t *testing.T, path string, p *profile.Profile) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	f, err := os.Create(path)
	require.NoError(t, err)
	require.NoError(t, p.Write(f))
	require.NoError(t, f.Close())
}

// writeReport records two scenarios at GOMAXPROCS 1 and 2 (one of them with
// too few samples for a flame graph) from synthetic profiles, builds the
// report with profiling.Report, and returns its directory.
func writeReport(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	machine := pprofkit.Machine{CPU: "Example CPU", Cores: 2, Go: "go1.26.0", OS: "linux", Arch: "amd64"}
	date := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	for _, r := range []struct {
		scenario, section, kind string
		n                       int
		wall                    float64
		stacks                  map[string]int64
	}{
		{"cpu-bound", "Processes", "CPU", 1, 1.0, cpuBound},
		{"cpu-bound", "Processes", "CPU", 2, 0.52, cpuBound},
		{"download", "Threading", "IO", 1, 0.5, map[string]int64{"runtime.goexit;net.(*netFD).Read;syscall.Syscall": 2}},
		{"download", "Threading", "IO", 2, 0.48, map[string]int64{"runtime.goexit;net.(*netFD).Read;syscall.Syscall": 3}},
	} {
		sdir := filepath.Join(dir, r.scenario)
		cpu := fmt.Sprintf("cpu-%d.pb.gz", r.n)
		writeProfile(t, filepath.Join(sdir, cpu), cpuProfile(r.stacks))
		require.NoError(t, profiling.WriteRun(sdir, &profiling.Run{
			Scenario: r.scenario, Section: r.section, Kind: r.kind, Procs: r.n, Rounds: 1, WallSeconds: r.wall,
			Files: profiling.Files{CPU: cpu}, Machine: machine, Date: date,
		}))
	}
	_, err := profiling.Report(dir, dir)
	require.NoError(t, err)
	return dir
}

// writeFlameGraphs writes the flame graph of cpuBound and the differential
// flame graph from cpuBound to cpuBoundSlower into a new directory, and
// returns their paths.
func writeFlameGraphs(t *testing.T) (flame, diff string) {
	t.Helper()
	dir := t.TempDir()
	flame, diff = filepath.Join(dir, "cpu.svg"), filepath.Join(dir, "diff.svg")
	f, err := os.Create(flame)
	require.NoError(t, err)
	require.NoError(t, pprofkit.WriteFlameGraph(f, cpuProfile(cpuBound), "cpu-bound at GOMAXPROCS=2"))
	require.NoError(t, f.Close())
	require.NoError(t, pprofkit.WriteDiffFlameGraphFile(diff, cpuProfile(cpuBound), cpuProfile(cpuBoundSlower), "cpu-bound: before → after"))
	return flame, diff
}
