package pprofkit

import (
	"cmp"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/google/pprof/profile"
)

// Overheads is where a CPU profile says the cores went that was not the
// program's own work: the reasons a parallel program stops scaling. Each
// share is a fraction of the sampled CPU time, and each sample counts in at
// most one of them, so the shares add up to at most 1.
type Overheads struct {
	// Samples is the number of CPU samples the shares are fractions of.
	Samples int64
	// GC is the share of CPU in the garbage collector: background mark
	// workers, mark assists charged to allocating goroutines, sweeping and
	// the collector's phase changes.
	GC float64
	// Alloc is the share in the allocator (runtime.mallocgc and what it
	// calls) outside the collector's assists.
	Alloc float64
	// Lock is the share spent acquiring or handing over locks:
	// sync.Mutex, sync.RWMutex and the semaphores under them, and the
	// runtime's own locks (runtime.lock2, as channels take) outside the
	// scheduler.
	Lock float64
	// Sched is the share in the scheduler: finding, stealing, starting and
	// parking goroutines, and spinning threads looking for work.
	Sched float64
}

// The function names that mark each overhead when they appear anywhere in
// a sample's stack, matched as prefixes. They name the runtime of Go 1.22 to
// 1.26.
var (
	gcFuncs = []string{
		"runtime.gcBgMarkWorker", "runtime.gcDrain", "runtime.gcAssistAlloc", "runtime.markroot",
		"runtime.scanobject", "runtime.scanblock", "runtime.scanstack", "runtime.scanSpan", "runtime.greyobject",
		"runtime.bgsweep", "runtime.sweepone", "runtime.(*sweepLocked).sweep", "runtime.(*mspan).sweep",
		"runtime.gcStart", "runtime.gcMarkDone", "runtime.gcMarkTermination", "runtime.gcFlushBgCredit",
		"runtime.wbBufFlush", "runtime.bgscavenge", "runtime.(*gcWork)", "runtime.gcResetMarkState",
	}
	syncLockFuncs = []string{
		"sync.(*Mutex).lockSlow", "sync.(*Mutex).unlockSlow", "sync.(*RWMutex).", "sync.runtime_Semacquire",
		"sync.runtime_Semrelease", "sync.runtime_doSpin", "internal/sync.(*Mutex).lockSlow", "internal/sync.(*Mutex).unlockSlow",
		"internal/sync.runtime_Semacquire", "internal/sync.runtime_Semrelease", "internal/sync.runtime_doSpin",
		"runtime.semacquire1", "runtime.semrelease1",
	}
	schedFuncs = []string{
		"runtime.schedule", "runtime.findRunnable", "runtime.findrunnable", "runtime.runqgrab", "runtime.runqsteal",
		"runtime.stealWork", "runtime.park_m", "runtime.goschedImpl", "runtime.gosched_m", "runtime.wakep",
		"runtime.startm", "runtime.stopm", "runtime.handoffp", "runtime.newproc", "runtime.goexit0",
		"runtime.goready", "runtime.resetspinning", "runtime.mPark", "runtime.injectglist",
	}
	runtimeLockFuncs = []string{"runtime.lock2", "runtime.unlock2", "runtime.lockWithRank"}
	allocFuncs       = []string{"runtime.mallocgc"}
)

// AnalyzeOverheads sorts p's CPU samples into the overheads of
// [Overheads] by the functions on their stacks. A sample counts as GC if
// any frame is the collector's, else as a lock if any frame is sync's lock
// slow path, else as the scheduler, else as a runtime lock, else as the
// allocator, else as the program's own work. It fails where
// [AnalyzeCPU] fails.
func AnalyzeOverheads(p *profile.Profile) (Overheads, error) {
	vi, err := valueIndex(p, "cpu", "nanoseconds")
	if err != nil {
		return Overheads{}, err
	}
	si, _ := valueIndex(p, "samples", "count")
	var o Overheads
	var total, gc, alloc, lock, sched int64
	for _, s := range p.Sample {
		v := s.Value[vi]
		total += v
		if si >= 0 {
			o.Samples += s.Value[si]
		} else if p.Period > 0 {
			o.Samples += v / p.Period
		}
		switch {
		case stackHas(s, gcFuncs):
			gc += v
		case stackHas(s, syncLockFuncs):
			lock += v
		case stackHas(s, schedFuncs):
			sched += v
		case stackHas(s, runtimeLockFuncs):
			lock += v
		case stackHas(s, allocFuncs):
			alloc += v
		}
	}
	if total > 0 {
		t := float64(total)
		o.GC, o.Alloc, o.Lock, o.Sched = float64(gc)/t, float64(alloc)/t, float64(lock)/t, float64(sched)/t
	}
	return o, nil
}

// stackHas reports whether a frame of s names a function starting with one
// of prefixes.
func stackHas(s *profile.Sample, prefixes []string) bool {
	for _, loc := range s.Location {
		for _, ln := range loc.Line {
			if ln.Function == nil {
				continue
			}
			for _, p := range prefixes {
				if strings.HasPrefix(ln.Function.Name, p) {
					return true
				}
			}
		}
	}
	return false
}

// WaitSite is a call site where goroutines waited, as a mutex or block
// profile attributes it.
type WaitSite struct {
	// Func is the function's full name; File and Line the call's place.
	Func string
	File string
	Line int64
	// Seconds is the wait attributed to the site, summed over goroutines;
	// Share is its fraction of the profile's wait (after ignored samples
	// are dropped).
	Seconds float64
	Share   float64
}

// String is "cache.(*Cache).Get at cache.go:88".
func (s WaitSite) String() string {
	if s.File == "" {
		return ShortName(s.Func)
	}
	return fmt.Sprintf("%s at %s:%d", ShortName(s.Func), path.Base(s.File), s.Line)
}

// AnalyzeWaitSites reads a mutex or block profile like [AnalyzeWait] and
// attributes each sample's wait to its first frame outside the runtime and
// the sync packages: for a mutex profile, the code that held the lock
// while others waited (the profile's stack is the unlocker's); for a block
// profile, the code that blocked. Samples whose first such frame is in a
// package named in ignore (e.g. "testing", whose benchmark driver waits for
// the benchmark) are dropped, from the totals too. Sites are returned by
// wait, largest first.
func AnalyzeWaitSites(p *profile.Profile, ignore ...string) (WaitStats, []WaitSite, error) {
	ci, err := valueIndex(p, "contentions", "count")
	if err != nil {
		return WaitStats{}, nil, err
	}
	di, err := valueIndex(p, "delay", "nanoseconds")
	if err != nil {
		return WaitStats{}, nil, err
	}
	var st WaitStats
	var delay int64
	sites := map[WaitSite]int64{}
	for _, s := range p.Sample {
		site, ok := UserFrame(s)
		if ok && slices.Contains(ignore, FuncPackage(site.Func)) {
			continue
		}
		st.Events += s.Value[ci]
		delay += s.Value[di]
		sites[site] += s.Value[di]
	}
	st.Seconds = float64(delay) / 1e9
	var out []WaitSite
	for site, d := range sites {
		site.Seconds = float64(d) / 1e9
		if delay > 0 {
			site.Share = float64(d) / float64(delay)
		}
		out = append(out, site)
	}
	slices.SortFunc(out, func(a, b WaitSite) int {
		return cmp.Or(cmp.Compare(b.Seconds, a.Seconds), strings.Compare(a.Func, b.Func), cmp.Compare(a.Line, b.Line))
	})
	return st, out, nil
}

// UserFrame is the first frame of s, leaf first, outside the runtime and
// sync; ok is false when every frame is inside them (the runtime's own
// locks: channels, timers, the scheduler).
func UserFrame(s *profile.Sample) (WaitSite, bool) {
	for _, loc := range s.Location {
		for _, ln := range loc.Line {
			if ln.Function == nil {
				continue
			}
			switch FuncPackage(ln.Function.Name) {
			case "runtime", "sync", "internal/sync", "sync/atomic", "internal/runtime/sync":
				continue
			}
			return WaitSite{Func: ln.Function.Name, File: ln.Function.Filename, Line: ln.Line}, true
		}
	}
	return WaitSite{Func: "the runtime's internal locks"}, false
}

// FuncPackage is the import path of the package of the function name:
// "sync" for "sync.(*Mutex).Lock", "example.com/m/cache" for
// "example.com/m/cache.(*Cache).Get".
func FuncPackage(name string) string {
	slash := strings.LastIndexByte(name, '/')
	dot := strings.IndexByte(name[slash+1:], '.')
	if dot < 0 {
		return name
	}
	return name[:slash+1+dot]
}
