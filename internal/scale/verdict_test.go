package scale

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/pprof/profile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// frames is a stack, leaf first; a frame is "func" or "func@file:line".
type frames []string

// builder makes pprof profiles in code, one function and location per frame.
type builder struct {
	p    *profile.Profile
	locs map[string]*profile.Location
}

func newProfile(wall time.Duration, types ...string) *builder {
	b := &builder{p: &profile.Profile{DurationNanos: wall.Nanoseconds(), TimeNanos: 1}, locs: map[string]*profile.Location{}}
	for i := 0; i < len(types); i += 2 {
		b.p.SampleType = append(b.p.SampleType, &profile.ValueType{Type: types[i], Unit: types[i+1]})
	}
	b.p.Period = 1e7
	b.p.PeriodType = &profile.ValueType{Type: "cpu", Unit: "nanoseconds"}
	return b
}

func (b *builder) add(stack frames, values ...int64) *builder {
	s := &profile.Sample{Value: values}
	for _, f := range stack {
		loc := b.locs[f]
		if loc == nil {
			name, file, _ := strings.Cut(f, "@")
			var line int64
			if f, l, ok := strings.Cut(file, ":"); ok {
				file = f
				for _, c := range l {
					line = 10*line + int64(c-'0')
				}
			}
			fn := &profile.Function{ID: uint64(len(b.p.Function) + 1), Name: name, Filename: file}
			b.p.Function = append(b.p.Function, fn)
			loc = &profile.Location{ID: uint64(len(b.p.Location) + 1), Line: []profile.Line{{Function: fn, Line: line}}}
			b.p.Location = append(b.p.Location, loc)
			b.locs[f] = loc
		}
		s.Location = append(s.Location, loc)
	}
	b.p.Sample = append(b.p.Sample, s)
	return b
}

// cpu adds count samples of 10 ms at stack.
func (b *builder) cpu(stack frames, count int64) *builder { return b.add(stack, count, count*1e7) }

func (b *builder) write(t testing.TB, dir, name string) string {
	f, err := os.Create(filepath.Join(dir, name))
	require.NoError(t, err)
	require.NoError(t, b.p.Write(f))
	require.NoError(t, f.Close())
	return name
}

func cpuProfile(wall time.Duration) *builder {
	return newProfile(wall, "samples", "count", "cpu", "nanoseconds")
}

func waitProfile() *builder {
	return newProfile(time.Second, "contentions", "count", "delay", "nanoseconds")
}

var (
	user      = frames{"example.com/m/cache.work", "example.com/m/cache.BenchmarkGet.func1", "testing.(*B).RunParallel.func1"}
	gcWorker  = frames{"runtime.scanobject", "runtime.gcDrain", "runtime.gcBgMarkWorker"}
	gcAssist  = frames{"runtime.gcDrainN", "runtime.gcAssistAlloc", "runtime.mallocgc", "example.com/m/cache.work"}
	alloc     = frames{"runtime.memclrNoHeapPointers", "runtime.mallocgc", "example.com/m/cache.work"}
	lockSpin  = frames{"runtime.procyield", "internal/sync.(*Mutex).lockSlow", "sync.(*Mutex).Lock", "example.com/m/cache.(*Cache).Get"}
	schedSpin = frames{"runtime.runqgrab", "runtime.stealWork", "runtime.findRunnable", "runtime.schedule", "runtime.park_m", "runtime.mcall"}
)

// measured writes the profiles of one point and analyses them.
func measured(t *testing.T, dir string, procs int, nsOp float64, cpu, mutex, block *builder) *Point {
	t.Helper()
	p := &Point{Procs: procs, NsPerOp: []float64{nsOp}, AllocsPerOp: 12, BytesPerOp: 384}
	sub := filepath.Join(dir, "n"+string(rune('0'+procs)))
	require.NoError(t, os.MkdirAll(sub, 0o755))
	p.CPUFile = cpu.write(t, sub, "cpu.pb.gz")
	if mutex != nil {
		p.MutexFile = mutex.write(t, sub, "mutex.pb.gz")
	}
	if block != nil {
		p.BlockFile = block.write(t, sub, "block.pb.gz")
	}
	require.NoError(t, analyze(sub, p, "BenchmarkGet", true))
	assert.FileExists(t, filepath.Join(sub, p.Flame))
	return p
}

func TestDiagnose(t *testing.T) {
	dir := t.TempDir()
	base := measured(t, dir, 1, 1000, cpuProfile(time.Second).cpu(user, 100), nil, nil)
	assert.InDelta(t, 1.0, base.Parallelism, 1e-9, "100 samples of 10 ms in 1 s: one core busy")

	t.Run("gc", func(t *testing.T) {
		p := measured(t, dir, 4, 500, cpuProfile(time.Second).cpu(gcWorker, 120).cpu(gcAssist, 30).cpu(alloc, 30).cpu(user, 120), nil, nil)
		assert.InDelta(t, 3.0, p.Parallelism, 1e-9, "300 samples in 1 s")
		assert.InDelta(t, 0.5, p.Overheads.GC, 1e-9, "mark workers and assists: 150 of 300")
		assert.InDelta(t, 0.1, p.Overheads.Alloc, 1e-9, "the allocator outside assists: 30 of 300")
		b := &Benchmark{Name: "BenchmarkGet", Points: []*Point{base, p}}
		v := diagnose(b, p, 4)
		assert.Equal(t, GC, v.Category)
		assert.InDelta(t, 2.0, v.Speedup, 1e-9)
		assert.InDelta(t, 0.5, v.Efficiency, 1e-9)
		assert.Equal(t, "GC: 50 % of CPU at n = 4, allocations per op: 12 (384 B/op); allocator 10 %", v.Text)
	})

	t.Run("contention", func(t *testing.T) {
		unlock := func(site string) frames {
			return frames{"sync.(*Mutex).Unlock", "internal/sync.(*Mutex).Unlock", site, "testing.(*B).RunParallel.func1"}
		}
		mutex := waitProfile().
			add(unlock("example.com/m/cache.(*Cache).Get@/src/m/cache/cache.go:88"), 10, 620e6).
			add(unlock("example.com/m/cache.(*Cache).Put@/src/m/cache/cache.go:120"), 5, 380e6).
			add(frames{"sync.(*WaitGroup).Wait", "testing.(*B).RunParallel"}, 1, 5e9) // the driver's: ignored
		p := measured(t, dir, 4, 500, cpuProfile(time.Second).cpu(lockSpin, 60).cpu(user, 140), mutex, waitProfile())
		assert.InDelta(t, 0.3, p.Overheads.Lock, 1e-9)
		require.NotNil(t, p.MutexPerOp)
		assert.InDelta(t, 500e-9, *p.MutexPerOp, 1e-15, "1 s of wait over 1 s ÷ 500 ns = 2e6 ops")
		require.NotNil(t, p.MutexSite)
		assert.Equal(t, "cache.(*Cache).Get at cache.go:88", p.MutexSite.String())
		assert.InDelta(t, 0.62, p.MutexSite.Share, 1e-9)
		b := &Benchmark{Name: "BenchmarkGet", Points: []*Point{base, p}}
		v := diagnose(b, p, 4)
		assert.Equal(t, Contention, v.Category)
		assert.Equal(t, "contention on cache.(*Cache).Get at cache.go:88: 62 % of mutex wait; mutex wait 500 ns per op (25 % of the 4 cores' time); locking 30 % of CPU", v.Text)
	})

	t.Run("scheduler", func(t *testing.T) {
		p := measured(t, dir, 2, 900, cpuProfile(time.Second).cpu(schedSpin, 80).cpu(user, 120), nil, nil)
		v := diagnose(&Benchmark{Points: []*Point{base, p}}, p, 4)
		assert.Equal(t, Scheduler, v.Category)
		assert.InDelta(t, 0.4, p.Overheads.Sched, 1e-9)
	})

	t.Run("serial", func(t *testing.T) {
		block := waitProfile().add(frames{"sync.(*WaitGroup).Wait", "example.com/m/cache.Merge@/src/m/cache/merge.go:40"}, 100, 3e9)
		p := measured(t, dir, 4, 800, cpuProfile(time.Second).cpu(user, 130), waitProfile(), block)
		v := diagnose(&Benchmark{Points: []*Point{base, p}}, p, 4)
		assert.Equal(t, Serial, v.Category)
		assert.Contains(t, v.Text, "100 % of it at cache.Merge at merge.go:40")
	})

	t.Run("one-goroutine", func(t *testing.T) {
		// A b.N loop on one goroutine through a channel: a quarter of its
		// CPU in the channel's lock at every n, which nothing contends.
		chanBase := measured(t, dir, 1, 1000, cpuProfile(time.Second).cpu(lockSpin, 30).cpu(user, 70), nil, nil)
		p := measured(t, dir, 2, 1000, cpuProfile(time.Second).cpu(lockSpin, 30).cpu(user, 70), waitProfile(), waitProfile())
		require.InDelta(t, 0.3, p.Overheads.Lock, 1e-9)
		v := diagnose(&Benchmark{Points: []*Point{chanBase, p}}, p, 4)
		assert.Equal(t, Serial, v.Category, "one core busy: the lock's share is the one goroutine's, as at n = 1")
		assert.Contains(t, v.Text, "one core busy (1.00 of 2), no lock wait, no blocking: the benchmark runs one goroutine at a time")

		// The same at n = 2 after a lock-free n = 1: goroutines that
		// queue for one lock keep about one core busy too, and the lock's
		// share grew with n.
		v = diagnose(&Benchmark{Points: []*Point{base, p}}, p, 4)
		assert.Equal(t, Contention, v.Category, "one core busy, but locking grew from 0 to 30 % of CPU")

		// Goroutines that block at a lock as busy as at n = 1: contention.
		queued := measured(t, dir, 2, 1000, cpuProfile(time.Second).cpu(lockSpin, 30).cpu(user, 70), waitProfile(),
			waitProfile().add(frames{"sync.(*RWMutex).Lock", "example.com/m/cache.(*Cache).Put@/src/m/cache/cache.go:120"}, 50, 2e8))
		v = diagnose(&Benchmark{Points: []*Point{chanBase, queued}}, queued, 4)
		assert.Equal(t, Contention, v.Category, "one core busy, but the others block")

		// Well under one core busy, it mostly waits: the plain serial text.
		waits := measured(t, dir, 2, 1000, cpuProfile(2*time.Second).cpu(user, 80), waitProfile(), waitProfile())
		v = diagnose(&Benchmark{Points: []*Point{base, waits}}, waits, 4)
		assert.Equal(t, Serial, v.Category)
		assert.Contains(t, v.Text, "cores idle: 0.40 of 2 busy")
	})

	t.Run("scales", func(t *testing.T) {
		p := measured(t, dir, 2, 510, cpuProfile(time.Second).cpu(user, 198), nil, nil)
		v := diagnose(&Benchmark{Points: []*Point{base, p}}, p, 4)
		assert.Equal(t, Scales, v.Category)
		assert.Equal(t, "1.96× at n = 2 (efficiency 98 %), 1.98 cores busy", v.Text, "the report prints the category before the text: not twice")
	})

	t.Run("busy", func(t *testing.T) {
		p := measured(t, dir, 2, 900, cpuProfile(time.Second).cpu(user, 190), nil, nil)
		v := diagnose(&Benchmark{Points: []*Point{base, p}}, p, 4)
		assert.Equal(t, Busy, v.Category, "1.9 of 2 cores busy, yet 1.11×")
		assert.Contains(t, v.Text, "each op takes 1.7× the CPU it takes at n = 1")
	})

	t.Run("oversubscribed", func(t *testing.T) {
		p := measured(t, dir, 8, 700, cpuProfile(time.Second).cpu(user, 390), nil, nil)
		v := diagnose(&Benchmark{Points: []*Point{base, p}}, p, 4)
		assert.Equal(t, Oversubscribed, v.Category)
		assert.Equal(t, "n = 8 is more than the machine's 4 cores: no more cores to use", v.Text)
	})

	t.Run("too-few-samples", func(t *testing.T) {
		p := measured(t, dir, 2, 500, cpuProfile(time.Second).cpu(gcWorker, 40), nil, nil)
		v := diagnose(&Benchmark{Points: []*Point{base, p}}, p, 4)
		assert.Equal(t, Unknown, v.Category)
		assert.Contains(t, v.Text, "too few samples")
		gc, _, _ := shares(p)
		assert.Equal(t, "too few samples", gc, "no percentage below the minimum")
	})

	t.Run("failed", func(t *testing.T) {
		p := &Point{Procs: 2, Err: "panic: broken at two"}
		v := diagnose(&Benchmark{Points: []*Point{base, p}}, p, 4)
		assert.Equal(t, Failed, v.Category)
	})
}

// BenchmarkAnalyze is the profile analysis of one point: a CPU profile of
// 20 000 samples over 2 000 distinct stacks 30 frames deep, with mutex and
// block profiles, read, analysed and drawn as a flame graph.
func BenchmarkAnalyze(b *testing.B) {
	dir := b.TempDir()
	cpu := cpuProfile(10 * time.Second)
	mutex, block := waitProfile(), waitProfile()
	for i := range 2000 {
		var st frames
		for d := range 30 {
			st = append(st, "example.com/m/pkg.f"+string(rune('a'+(i*7+d)%26))+string(rune('a'+(i+d*3)%26)))
		}
		cpu.cpu(append(st[:29:29], "runtime.gcBgMarkWorker"), 10)
		mutex.add(st[:5], 3, 1e6)
		block.add(st[:7], 3, 1e6)
	}
	p := &Point{Procs: 4, NsPerOp: []float64{1000}}
	p.CPUFile, p.MutexFile, p.BlockFile = cpu.write(b, dir, "cpu.pb.gz"), mutex.write(b, dir, "mutex.pb.gz"), block.write(b, dir, "block.pb.gz")
	for b.Loop() {
		if err := analyze(dir, p, "BenchmarkX", true); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Seconds())/float64(b.N), "s/analysis")
}
