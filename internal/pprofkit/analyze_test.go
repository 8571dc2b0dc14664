package pprofkit_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/internal/pprofkit"
	"github.com/conclab/conclab/internal/pprofkit/pproftest"
)

func TestAnalyzeCPU(t *testing.T) {
	for _, tc := range []struct {
		name        string
		wall        time.Duration
		stacks      []pproftest.Stack
		samples     int64
		cpu         float64
		parallelism float64
		top         []pprofkit.Func
	}{
		{
			name: "two-cores-busy/wall=1s",
			wall: time.Second,
			stacks: []pproftest.Stack{
				{Frames: []string{"main.hot", "main.worker"}, Count: 150},
				{Frames: []string{"main.warm", "main.worker"}, Count: 40},
				{Frames: []string{"runtime.gcBgMarkWorker"}, Count: 10},
			},
			samples: 200, cpu: 2, parallelism: 2,
			top: []pprofkit.Func{
				{Name: "main.hot", Flat: 1.5, Cum: 1.5},
				{Name: "main.warm", Flat: 0.4, Cum: 0.4},
				{Name: "runtime.gcBgMarkWorker", Flat: 0.1, Cum: 0.1},
			},
		},
		{
			name:    "waiting/wall=2s",
			wall:    2 * time.Second,
			stacks:  []pproftest.Stack{{Frames: []string{"syscall.Syscall", "net.(*conn).Read"}, Count: 4}},
			samples: 4, cpu: 0.04, parallelism: 0.02,
			top: []pprofkit.Func{
				{Name: "syscall.Syscall", Flat: 0.04, Cum: 0.04},
				{Name: "net.(*conn).Read", Flat: 0, Cum: 0.04},
			},
		},
		{
			name: "inlined-leaf-is-flat/wall=500ms",
			wall: 500 * time.Millisecond,
			stacks: []pproftest.Stack{
				{Frames: []string{"main.mix+main.square", "main.main"}, Count: 30},
				{Frames: []string{"main.square", "main.main"}, Count: 10},
				{Frames: []string{"main.main"}, Count: 5},
			},
			samples: 45, cpu: 0.45, parallelism: 0.9,
			top: []pprofkit.Func{
				{Name: "main.mix", Flat: 0.3, Cum: 0.3},
				{Name: "main.square", Flat: 0.1, Cum: 0.4},
			},
		},
		{
			name: "empty/wall=1s", wall: time.Second,
			top: []pprofkit.Func{},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, err := pprofkit.AnalyzeCPU(pproftest.CPU(tc.wall, tc.stacks...), 2)
			require.NoError(t, err)
			assert.Equal(t, tc.samples, st.Samples)
			assert.InDelta(t, tc.cpu, st.CPUSeconds, 1e-9, "CPU seconds")
			assert.InDelta(t, tc.wall.Seconds(), st.WallSeconds, 1e-9, "wall seconds")
			assert.InDelta(t, tc.parallelism, st.Parallelism, 1e-9, "effective parallelism = CPU ÷ wall")
			require.Len(t, st.Top, min(2, len(tc.top)))
			for i := range st.Top {
				assert.Equal(t, tc.top[i].Name, st.Top[i].Name, "top %d", i)
				assert.InDelta(t, tc.top[i].Flat, st.Top[i].Flat, 1e-9, "flat of %s", tc.top[i].Name)
				assert.InDelta(t, tc.top[i].Cum, st.Top[i].Cum, 1e-9, "cum of %s", tc.top[i].Name)
			}
		})
	}
}

func TestAnalyzeCPURejectsOtherProfiles(t *testing.T) {
	_, err := pprofkit.AnalyzeCPU(pproftest.Waits(time.Second), 5)
	assert.ErrorContains(t, err, "no cpu/nanoseconds samples")
	_, err = pprofkit.AnalyzeCPU(pproftest.CPU(0), 5)
	assert.ErrorContains(t, err, "no duration")
}

func TestAnalyzeWait(t *testing.T) {
	p := pproftest.Waits(time.Second,
		pproftest.Wait{Frames: []string{"sync.(*Mutex).Unlock", "main.inc"}, Events: 300, Delay: 250 * time.Millisecond},
		pproftest.Wait{Frames: []string{"sync.(*Mutex).Unlock", "main.load"}, Events: 20, Delay: 50 * time.Millisecond},
	)
	st, err := pprofkit.AnalyzeWait(p)
	require.NoError(t, err)
	assert.Equal(t, int64(320), st.Events)
	assert.InDelta(t, 0.3, st.Seconds, 1e-9)

	_, err = pprofkit.AnalyzeWait(pproftest.CPU(time.Second))
	assert.ErrorContains(t, err, "no contentions/count samples")
}

func TestReadProfile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "cpu-1.pb.gz")
	f, err := os.Create(good)
	require.NoError(t, err)
	require.NoError(t, pproftest.CPU(time.Second, pproftest.Stack{Frames: []string{"main.hot"}, Count: 7}).Write(f))
	require.NoError(t, f.Close())

	p, err := pprofkit.ReadProfile(good)
	require.NoError(t, err, "a profile survives the round trip")
	st, err := pprofkit.AnalyzeCPU(p, 1)
	require.NoError(t, err)
	assert.Equal(t, int64(7), st.Samples)

	for name, data := range map[string]string{
		"empty":           "",
		"garbage":         "this is not a profile\n",
		"gzipped-garbage": "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xffnot really",
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name+".pb.gz")
			require.NoError(t, os.WriteFile(path, []byte(data), 0o644))
			_, err := pprofkit.ReadProfile(path)
			require.Error(t, err)
			assert.Contains(t, err.Error(), path, "the error names the file")
		})
	}
}

func TestShortName(t *testing.T) {
	for in, want := range map[string]string{
		"github.com/conclab/conclab/scenarios.mix":                 "scenarios.mix",
		"github.com/conclab/conclab/scenarios.(*MutexCounter).Inc": "scenarios.(*MutexCounter).Inc",
		"runtime.selectgo":            "runtime.selectgo",
		"net/http.(*conn).serve":      "net/http.(*conn).serve",
		"internal/sync.(*Mutex).Lock": "internal/sync.(*Mutex).Lock",
		"example.com/m.F":             "m.F",
		"main.f[...]":                 "main.f[...]",
		"github.com/conclab/conclab/scenarios.Split.func1": "scenarios.Split.func1",
	} {
		assert.Equal(t, want, pprofkit.ShortName(in), in)
	}
}
