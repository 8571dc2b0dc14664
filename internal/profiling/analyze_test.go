package profiling_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/internal/profiling"
)

func TestAnalyzeCPU(t *testing.T) {
	for _, tc := range []struct {
		name        string
		wall        time.Duration
		stacks      []stack
		samples     int64
		cpu         float64
		parallelism float64
		top         []profiling.Func
	}{
		{
			name: "two-cores-busy/wall=1s",
			wall: time.Second,
			stacks: []stack{
				{[]string{"main.hot", "main.worker"}, 150},
				{[]string{"main.warm", "main.worker"}, 40},
				{[]string{"runtime.gcBgMarkWorker"}, 10},
			},
			samples: 200, cpu: 2, parallelism: 2,
			top: []profiling.Func{
				{Name: "main.hot", Flat: 1.5, Cum: 1.5},
				{Name: "main.warm", Flat: 0.4, Cum: 0.4},
				{Name: "runtime.gcBgMarkWorker", Flat: 0.1, Cum: 0.1},
			},
		},
		{
			name:    "waiting/wall=2s",
			wall:    2 * time.Second,
			stacks:  []stack{{[]string{"syscall.Syscall", "net.(*conn).Read"}, 4}},
			samples: 4, cpu: 0.04, parallelism: 0.02,
			top: []profiling.Func{
				{Name: "syscall.Syscall", Flat: 0.04, Cum: 0.04},
				{Name: "net.(*conn).Read", Flat: 0, Cum: 0.04},
			},
		},
		{
			name: "inlined-leaf-is-flat/wall=500ms",
			wall: 500 * time.Millisecond,
			stacks: []stack{
				{[]string{"main.mix+main.square", "main.main"}, 30},
				{[]string{"main.square", "main.main"}, 10},
				{[]string{"main.main"}, 5},
			},
			samples: 45, cpu: 0.45, parallelism: 0.9,
			top: []profiling.Func{
				{Name: "main.mix", Flat: 0.3, Cum: 0.3},
				{Name: "main.square", Flat: 0.1, Cum: 0.4},
			},
		},
		{
			name: "empty/wall=1s", wall: time.Second,
			top: []profiling.Func{},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, err := profiling.AnalyzeCPU(fakeCPU(tc.wall, tc.stacks...), 2)
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
	_, err := profiling.AnalyzeCPU(fakeWait(time.Second), 5)
	assert.ErrorContains(t, err, "no cpu/nanoseconds samples")
	_, err = profiling.AnalyzeCPU(fakeCPU(0), 5)
	assert.ErrorContains(t, err, "no duration")
}

func TestAnalyzeWait(t *testing.T) {
	p := fakeWait(time.Second,
		wait{[]string{"sync.(*Mutex).Unlock", "main.inc"}, 300, 250 * time.Millisecond},
		wait{[]string{"sync.(*Mutex).Unlock", "main.load"}, 20, 50 * time.Millisecond},
	)
	st, err := profiling.AnalyzeWait(p)
	require.NoError(t, err)
	assert.Equal(t, int64(320), st.Events)
	assert.InDelta(t, 0.3, st.Seconds, 1e-9)

	_, err = profiling.AnalyzeWait(fakeCPU(time.Second))
	assert.ErrorContains(t, err, "no contentions/count samples")
}

func TestReadProfile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "cpu-1.pb.gz")
	f, err := os.Create(good)
	require.NoError(t, err)
	require.NoError(t, fakeCPU(time.Second, stack{[]string{"main.hot"}, 7}).Write(f))
	require.NoError(t, f.Close())

	p, err := profiling.ReadProfile(good)
	require.NoError(t, err, "a profile survives the round trip")
	st, err := profiling.AnalyzeCPU(p, 1)
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
			_, err := profiling.ReadProfile(path)
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
		assert.Equal(t, want, profiling.ShortName(in), in)
	}
}
