package pprofkit_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/internal/pprofkit"
	"github.com/conclab/conclab/internal/pprofkit/pproftest"
)

func TestAnalyzeOverheads(t *testing.T) {
	for _, tc := range []struct {
		name                   string
		stacks                 []pproftest.Stack
		gc, alloc, lock, sched float64
	}{
		{"own work only", []pproftest.Stack{{Frames: []string{"m.work", "m.main"}, Count: 100}}, 0, 0, 0, 0},
		{"gc workers and assists", []pproftest.Stack{
			{Frames: []string{"runtime.scanobject", "runtime.gcDrain", "runtime.gcBgMarkWorker"}, Count: 30},
			{Frames: []string{"runtime.gcDrainN", "runtime.gcAssistAlloc", "runtime.mallocgc", "m.work"}, Count: 10},
			{Frames: []string{"runtime.nextFreeFast+runtime.mallocgc", "m.work"}, Count: 20},
			{Frames: []string{"m.work"}, Count: 40},
		}, 0.4, 0.2, 0, 0},
		{"sync contention beats the scheduler under it", []pproftest.Stack{
			{Frames: []string{"runtime.futex", "runtime.semacquire1", "internal/sync.runtime_SemacquireMutex", "internal/sync.(*Mutex).lockSlow", "m.get"}, Count: 25},
			{Frames: []string{"runtime.runqgrab", "runtime.findRunnable", "runtime.schedule", "runtime.park_m"}, Count: 25},
			{Frames: []string{"runtime.lock2", "runtime.chansend", "m.send"}, Count: 10},
			{Frames: []string{"runtime.lock2", "runtime.findRunnable", "runtime.schedule"}, Count: 10},
			{Frames: []string{"m.work"}, Count: 30},
		}, 0, 0, 0.35, 0.35},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, err := pprofkit.AnalyzeOverheads(pproftest.CPU(time.Second, tc.stacks...))
			require.NoError(t, err)
			assert.Equal(t, int64(100), o.Samples)
			assert.InDelta(t, tc.gc, o.GC, 1e-9, "GC")
			assert.InDelta(t, tc.alloc, o.Alloc, 1e-9, "allocator")
			assert.InDelta(t, tc.lock, o.Lock, 1e-9, "locks")
			assert.InDelta(t, tc.sched, o.Sched, 1e-9, "scheduler")
		})
	}
	_, err := pprofkit.AnalyzeOverheads(pproftest.Waits(time.Second))
	assert.ErrorContains(t, err, "no cpu/nanoseconds samples", "a mutex profile is not a CPU profile")
}

func TestAnalyzeWaitSites(t *testing.T) {
	p := pproftest.Waits(time.Second,
		pproftest.Wait{Frames: []string{"sync.(*Mutex).Unlock", "example.com/m/cache.(*Cache).Get", "example.com/m/cache.Bench"}, Events: 6, Delay: 600 * time.Millisecond},
		pproftest.Wait{Frames: []string{"sync.(*Mutex).Unlock", "example.com/m/cache.(*Cache).Put"}, Events: 4, Delay: 200 * time.Millisecond},
		pproftest.Wait{Frames: []string{"runtime.unlock2", "runtime.chansend"}, Events: 1, Delay: 200 * time.Millisecond},
		pproftest.Wait{Frames: []string{"sync.(*WaitGroup).Wait", "testing.(*B).RunParallel"}, Events: 1, Delay: 5 * time.Second},
	)
	st, sites, err := pprofkit.AnalyzeWaitSites(p, "testing")
	require.NoError(t, err)
	assert.Equal(t, pprofkit.WaitStats{Events: 11, Seconds: 1}, st, "the testing driver's wait is left out")
	require.Len(t, sites, 3)
	assert.Equal(t, "example.com/m/cache.(*Cache).Get", sites[0].Func)
	assert.InDelta(t, 0.6, sites[0].Share, 1e-9)
	assert.Equal(t, "cache.(*Cache).Get", sites[0].String(), "no file: the function alone")
	sites[0].File, sites[0].Line = "/src/m/cache/cache.go", 88
	assert.Equal(t, "cache.(*Cache).Get at cache.go:88", sites[0].String())
	assert.Equal(t, "the runtime's internal locks", sites[2].Func, "a wait with only runtime frames")
}

func TestSpeedupChart(t *testing.T) {
	svg := pprofkit.SpeedupChart("<X>: speed-up", []pprofkit.ChartSeries{
		{Label: "laptop", Points: []pprofkit.ChartPoint{{N: 1, Speedup: 1}, {N: 2, Speedup: 1.8}, {N: 4, Speedup: 3}},
			Fit: func(n float64) float64 { return n / (1 + 0.1*(n-1)) }, FitLabel: "USL fit"},
		{Label: "ci", Points: []pprofkit.ChartPoint{{N: 1, Speedup: 1}, {N: 8, Speedup: 6}}},
	}, 0)
	assert.Contains(t, svg, "&lt;X&gt;: speed-up", "the title is escaped")
	assert.Equal(t, 3, strings.Count(svg, "<polyline"), "two measured lines and one fit")
	assert.Equal(t, 5, strings.Count(svg, "<circle"), "one dot a point")
	assert.Contains(t, svg, "USL fit")
}
