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

	"github.com/conclab/conclab/internal/pprofkit"
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
	user     = frames{"example.com/m/cache.work", "example.com/m/cache.BenchmarkGet.func1", "testing.(*B).RunParallel.func1"}
	gcWorker = frames{"runtime.scanobject", "runtime.gcDrain", "runtime.gcBgMarkWorker"}
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

// TestAnalyzeReadsRolesAndWaits reads profiles built in code: the CPU of
// each goroutine role and the waits by kind.
func TestAnalyzeReadsRolesAndWaits(t *testing.T) {
	dir := t.TempDir()
	bench := frames{"example.com/m/cache.work", "example.com/m/cache.BenchmarkGet", "testing.(*B).runN", "testing.(*B).launch", "runtime.goexit"}
	own := frames{"example.com/m/cache.work", "example.com/m/cache.fold.func1", "runtime.goexit"}
	block := waitProfile().
		add(frames{"runtime.chanrecv1", "example.com/m/cache.(*Cache).Get@/src/m/cache/cache.go:88"}, 10, 600e6).
		add(frames{"sync.(*Mutex).Lock", "example.com/m/cache.(*Cache).Put@/src/m/cache/cache.go:120"}, 5, 300e6).
		add(frames{"sync.(*WaitGroup).Wait", "example.com/m/cache.fold@/src/m/cache/fold.go:9"}, 5, 100e6).
		add(frames{"sync.(*WaitGroup).Wait", "testing.(*B).RunParallel"}, 1, 5e9) // the driver's: ignored
	mutex := waitProfile().
		add(frames{"runtime.unlock2", "runtime.(*mheap).alloc", "runtime.mallocgc", "example.com/m/cache.work@/src/m/cache/cache.go:7"}, 1, 200e6).
		add(frames{"runtime.unlock2", "runtime.checkTimers", "runtime.schedule"}, 1, 900e6) // no one's
	p := measured(t, dir, 2, 500, cpuProfile(time.Second).cpu(user, 100).cpu(bench, 60).cpu(own, 40).cpu(gcWorker, 20), mutex, block)
	assert.InDelta(t, 1.0, p.Roles.Parallel, 1e-9, "100 samples under RunParallel")
	assert.InDelta(t, 0.6, p.Roles.Bench, 1e-9, "60 under runN")
	assert.InDelta(t, 0.4, p.Roles.Own, 1e-9, "40 in a goroutine of its own")
	assert.Equal(t, "example.com/m/cache.fold.func1", p.Roles.OwnRoot)
	assert.InDelta(t, 0.3, p.Roles.BenchShare(), 1e-9, "the GC worker is no one's work")
	ops := 1 / 500e-9
	assert.InDelta(t, 0.6/ops, p.waitOf(WaitChannel), 1e-15)
	assert.InDelta(t, 0.3/ops, p.waitOf(WaitLock), 1e-15)
	assert.InDelta(t, 0.1/ops, p.waitOf(WaitSync), 1e-15)
	assert.InDelta(t, 0.2/ops, p.waitOf(WaitGC), 1e-15, "the heap's lock under mallocgc")
	require.NotNil(t, p.siteOf(WaitChannel))
	assert.Equal(t, "cache.(*Cache).Get at cache.go:88", p.siteOf(WaitChannel).String())
}

// TestAnalyzeCountsGoroutinesComingAndGoingAsScheduler reads a CPU profile
// built in code: a WaitGroup's semaphore, which pprofkit counts as a lock,
// and runtime stacks with no user frame that pprofkit names no overhead of,
// are the scheduler's; a sync.Mutex's slow path stays a lock, in a
// goroutine started by WaitGroup.Go too.
func TestAnalyzeCountsGoroutinesComingAndGoingAsScheduler(t *testing.T) {
	wake := frames{"runtime.semrelease1", "sync.runtime_Semrelease", "sync.(*WaitGroup).Done", "example.com/m/cache.BenchmarkGet.func1.1"}
	exit := frames{"runtime.gfput", "runtime.goexit0", "runtime.mcall"}                          // pprofkit: the scheduler already
	spin := frames{"runtime.casgstatus", "runtime.execute", "runtime.mstart1", "runtime.mstart"} // pprofkit: none
	lock := frames{"runtime.semacquire1", "sync.runtime_SemacquireMutex", "internal/sync.(*Mutex).lockSlow", "sync.(*Mutex).Lock", "example.com/m/cache.work", "sync.(*WaitGroup).Go.func1"}
	cpu := cpuProfile(time.Second).cpu(user, 50).cpu(wake, 20).cpu(exit, 10).cpu(spin, 10).cpu(lock, 10)
	p := measured(t, t.TempDir(), 2, 500, cpu, nil, nil)
	assert.Equal(t, int64(100), p.Overheads.Samples)
	assert.InDelta(t, 0.4, p.Overheads.Sched, 1e-9, "the WaitGroup's 20, the exit's 10 and the runtime's 10")
	assert.InDelta(t, 0.1, p.Overheads.Lock, 1e-9, "the Mutex's 10")
}

// pt is a point built in code: ns/op, parallelism, CPU samples and the
// shares of GC, lock and scheduler, the CPU by role and the waits.
func pt(procs int, ns, par float64, samples int64, gc, lock, sched float64, roles Roles, waits ...Wait) *Point {
	return &Point{Procs: procs, NsPerOp: []float64{ns}, Parallelism: par, AllocsPerOp: 12, BytesPerOp: 384,
		Overheads: pprofkit.Overheads{Samples: samples, GC: gc, Lock: lock, Sched: sched}, Roles: roles, Waits: waits, Top: "example.com/m.work", TopShare: 0.9}
}

func TestDiagnose(t *testing.T) {
	parallel := Roles{Parallel: 1}
	base := pt(1, 1000, 1, 100, 0, 0, 0, parallel)
	wait := func(k WaitKind, perOp float64) Wait {
		return Wait{Kind: k, PerOp: perOp, Site: &pprofkit.WaitSite{Func: "example.com/m.Get", File: "m.go", Line: 9, Share: 1}}
	}
	for _, tc := range []struct {
		name     string
		base, p  *Point
		cat      Category
		share    float64
		contains string
	}{
		{"scales", base, pt(2, 510, 1.98, 200, 0, 0, 0, parallel), Scales, 0, "1.96× at n = 2 (efficiency 98 % of 2× n = 1), 1.98 cores busy"},
		{"lock", base, pt(2, 1000, 1, 100, 0, 0, 0, parallel, wait(WaitLock, 1e-6)), Contention, 1, "100 % of the 50 % lost at n = 2: goroutines wait for a lock (1 µs per op, 100 % of it at m.Get at m.go:9)"},
		{"lock-cpu", base, pt(2, 1000, 2, 200, 0, 0.5, 0, parallel), Contention, 1, "locking takes 50 % of CPU (0 % at n = 1)"},
		{"channel", base, pt(2, 1000, 1, 100, 0, 0, 0, parallel, wait(WaitChannel, 1e-6)), Channel, 1, "goroutines wait on a channel"},
		{"sync", base, pt(2, 1000, 1, 100, 0, 0, 0, parallel, wait(WaitSync, 1e-6)), Sync, 1, "WaitGroup"},
		{"sync-grown", pt(1, 1000, 1, 100, 0, 0, 0, Roles{Own: 1}, wait(WaitSync, 0.9e-6)), pt(2, 1000, 1, 100, 0, 0, 0, Roles{Own: 1}, wait(WaitSync, 1.35e-6)), Sync, 1, "goroutines wait on a WaitGroup, Cond or semaphore (1.35 µs per op"},
		{"join-while-cores-busy", pt(1, 2000, 0.8, 100, 0, 0, 0, Roles{Own: 1}, wait(WaitSync, 1.2e-6)), pt(2, 1500, 3.2/3, 100, 0, 0, 0, Roles{Own: 1}, wait(WaitSync, 0.6e-6)), Waiting, 1, "off-CPU with no wait recorded: 0.80 of a core busy at n = 1"},
		{"gc-cpu", base, pt(2, 1000, 2, 200, 0.5, 0, 0, parallel), GC, 1, "GC and the allocator take 50 % of CPU at n = 2 (0 % at n = 1), each op 2.00× the CPU of n = 1"},
		{"gc-idle", pt(1, 1000, 1, 100, 0.5, 0, 0, parallel), pt(2, 1000, 1, 100, 0.5, 0, 0, parallel), GC, 1, "GC and the allocator take 50 % of CPU"},
		{"gc-heap-lock", base, pt(2, 1000, 1, 100, 0, 0, 0, parallel, wait(WaitGC, 1e-6)), GC, 1, "GC"},
		{"scheduler", base, pt(2, 1000, 2, 200, 0, 0, 0.5, parallel), Scheduler, 1, "the scheduler takes 50 % of CPU at n = 2"},
		{"memory", base, pt(2, 1000, 2, 200, 0, 0, 0, parallel), Memory, 1, "each op takes 2.00× the CPU of n = 1 in the benchmark's own code, top m.work 90 %"},
		// The scheduler's growth (30 points) explains as much growth in the
		// benchmark's own frames (20 of it): goroutines moved between cores.
		{"scheduler-and-cold-caches", base, pt(2, 1000, 2, 200, 0, 0, 0.3, parallel), Scheduler, 1, "the scheduler takes 30 % of CPU at n = 2"},
		// Beyond what the scheduler's growth (10) explains, the rest (30 of
		// 40) is memory.
		{"memory-beside-scheduler", base, pt(2, 1000, 2, 200, 0, 0, 0.1, parallel), Memory, 0.6, "in the benchmark's own code"},
		{"one-goroutine", pt(1, 1000, 1, 100, 0, 0, 0, Roles{Bench: 1}), pt(2, 1000, 1, 100, 0, 0, 0, Roles{Bench: 1}), Serial, 1, "one goroutine does the work: 100 % of its CPU is on BenchmarkGet's own goroutine"},
		{"serial-section", pt(1, 1000, 1, 100, 0, 0, 0, Roles{Bench: 1, Own: 1}), pt(2, 750, 1.33, 100, 0, 0, 0, Roles{Bench: 1, Own: 1}), Serial, 1, "a serial section: 50 % of the work's CPU"},
		{"waiting", pt(1, 1000, 0.2, 20, 0, 0, 0, parallel), pt(2, 1000, 0.2, 20, 0, 0, 0, parallel), Waiting, 1, "off-CPU with no wait recorded: 0.20 of a core busy at n = 1"},
		{"idle", base, pt(2, 1000, 1, 100, 0, 0, 0, parallel), Idle, 1, "cores idle with no wait recorded"},
		{"past-the-cores", base, pt(4, 1000, 1, 100, 0, 0, 0, parallel, wait(WaitLock, 1e-6)), Contention, 1, "of the 50 % lost at n = 4"},
		{"too-close", base, pt(2, 1000, 1, 100, 0, 0, 0, parallel, wait(WaitLock, 1e-6), wait(WaitChannel, 1e-6)), Inconclusive, 0.5, "channel (50 % of the loss) and contention (50 %) too close to call"},
		{"unsplit", base, pt(2, 1000, 2, 40, 0.5, 0, 0, parallel), Inconclusive, 1, "too few samples to split the CPU per op that grew"},
		{"too-few-samples", base, pt(2, 1000, 2, 4, 0.5, 0, 0, parallel), Inconclusive, 0, "too few samples (4 CPU samples, at least 5 needed"},
		{"waiting-few-samples", pt(1, 1000, 0.1, 5, 0, 0, 0, parallel), pt(2, 1000, 0.1, 5, 0, 0, 0, parallel), Waiting, 1, "off-CPU with no wait recorded: 0.10 of a core busy at n = 1"},
		{"failed", base, &Point{Procs: 2, Err: "panic: broken at two"}, Failed, 0, "panic: broken at two"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := &Benchmark{Name: "BenchmarkGet/size=8", Points: []*Point{tc.base, tc.p}}
			v := diagnose(b, tc.p, 2)
			assert.Equal(t, tc.cat, v.Category, v.Text)
			assert.InDelta(t, tc.share, v.Share, 1e-9)
			assert.Contains(t, v.Text, tc.contains)
			if v.Account != nil {
				var sum float64
				for _, s := range v.Account.Parts {
					sum += s.Of
				}
				assert.InDelta(t, v.Account.Lost, sum, 1e-9, "the parts add up to the loss")
				assert.InDelta(t, v.Account.Lost, v.Account.Idle+v.Account.CPU, 1e-9, "idle and CPU add up to the loss")
			}
		})
	}
}

func TestVerdictPointIsAtTheCores(t *testing.T) {
	b := &Benchmark{Points: []*Point{{Procs: 1}, {Procs: 2}, {Procs: 4}}}
	assert.Equal(t, 2, verdictPoint(b, 2).Procs)
	assert.Equal(t, 4, verdictPoint(b, 0).Procs, "cores unknown: the largest n")
	assert.Equal(t, 4, verdictPoint(&Benchmark{Points: []*Point{{Procs: 1}, {Procs: 4}}}, 2).Procs, "none within the cores: the largest")
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
