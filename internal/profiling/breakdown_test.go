package profiling_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/internal/profiling"
)

func TestAnalyzeOverheads(t *testing.T) {
	for _, tc := range []struct {
		name                   string
		stacks                 []stack
		gc, alloc, lock, sched float64
	}{
		{"own work only", []stack{{[]string{"m.work", "m.main"}, 100}}, 0, 0, 0, 0},
		{"gc workers and assists", []stack{
			{[]string{"runtime.scanobject", "runtime.gcDrain", "runtime.gcBgMarkWorker"}, 30},
			{[]string{"runtime.gcDrainN", "runtime.gcAssistAlloc", "runtime.mallocgc", "m.work"}, 10},
			{[]string{"runtime.nextFreeFast+runtime.mallocgc", "m.work"}, 20},
			{[]string{"m.work"}, 40},
		}, 0.4, 0.2, 0, 0},
		{"sync contention beats the scheduler under it", []stack{
			{[]string{"runtime.futex", "runtime.semacquire1", "internal/sync.runtime_SemacquireMutex", "internal/sync.(*Mutex).lockSlow", "m.get"}, 25},
			{[]string{"runtime.runqgrab", "runtime.findRunnable", "runtime.schedule", "runtime.park_m"}, 25},
			{[]string{"runtime.lock2", "runtime.chansend", "m.send"}, 10},
			{[]string{"runtime.lock2", "runtime.findRunnable", "runtime.schedule"}, 10},
			{[]string{"m.work"}, 30},
		}, 0, 0, 0.35, 0.35},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, err := profiling.AnalyzeOverheads(fakeCPU(time.Second, tc.stacks...))
			require.NoError(t, err)
			assert.Equal(t, int64(100), o.Samples)
			assert.InDelta(t, tc.gc, o.GC, 1e-9, "GC")
			assert.InDelta(t, tc.alloc, o.Alloc, 1e-9, "allocator")
			assert.InDelta(t, tc.lock, o.Lock, 1e-9, "locks")
			assert.InDelta(t, tc.sched, o.Sched, 1e-9, "scheduler")
		})
	}
	_, err := profiling.AnalyzeOverheads(fakeWait(time.Second))
	assert.ErrorContains(t, err, "no cpu/nanoseconds samples", "a mutex profile is not a CPU profile")
}

func TestAnalyzeWaitSites(t *testing.T) {
	p := fakeWait(time.Second,
		wait{[]string{"sync.(*Mutex).Unlock", "example.com/m/cache.(*Cache).Get", "example.com/m/cache.Bench"}, 6, 600 * time.Millisecond},
		wait{[]string{"sync.(*Mutex).Unlock", "example.com/m/cache.(*Cache).Put"}, 4, 200 * time.Millisecond},
		wait{[]string{"runtime.unlock2", "runtime.chansend"}, 1, 200 * time.Millisecond},
		wait{[]string{"sync.(*WaitGroup).Wait", "testing.(*B).RunParallel"}, 1, 5 * time.Second},
	)
	st, sites, err := profiling.AnalyzeWaitSites(p, "testing")
	require.NoError(t, err)
	assert.Equal(t, profiling.WaitStats{Events: 11, Seconds: 1}, st, "the testing driver's wait is left out")
	require.Len(t, sites, 3)
	assert.Equal(t, "example.com/m/cache.(*Cache).Get", sites[0].Func)
	assert.InDelta(t, 0.6, sites[0].Share, 1e-9)
	assert.Equal(t, "cache.(*Cache).Get", sites[0].String(), "no file: the function alone")
	sites[0].File, sites[0].Line = "/src/m/cache/cache.go", 88
	assert.Equal(t, "cache.(*Cache).Get at cache.go:88", sites[0].String())
	assert.Equal(t, "the runtime's internal locks", sites[2].Func, "a wait with only runtime frames")
}

func TestSpeedupChart(t *testing.T) {
	svg := profiling.SpeedupChart("<X>: speed-up", []profiling.ChartSeries{
		{Label: "laptop", Points: []profiling.ChartPoint{{N: 1, Speedup: 1}, {N: 2, Speedup: 1.8}, {N: 4, Speedup: 3}},
			Fit: func(n float64) float64 { return n / (1 + 0.1*(n-1)) }, FitLabel: "USL fit"},
		{Label: "ci", Points: []profiling.ChartPoint{{N: 1, Speedup: 1}, {N: 8, Speedup: 6}}},
	}, 0)
	assert.Contains(t, svg, "&lt;X&gt;: speed-up", "the title is escaped")
	assert.Equal(t, 3, strings.Count(svg, "<polyline"), "two measured lines and one fit")
	assert.Equal(t, 5, strings.Count(svg, "<circle"), "one dot a point")
	assert.Contains(t, svg, "USL fit")
}
