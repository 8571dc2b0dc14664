package scale

import (
	"cmp"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/google/pprof/profile"

	"github.com/conclab/conclab/internal/pprofkit"
)

// WaitKind is what goroutines waited on, read from the frames a block or
// mutex profile records.
type WaitKind string

// The kinds of wait. Sleeping and I/O leave no trace in either profile:
// they are what is left of idle time that no recorded wait explains.
const (
	WaitLock    WaitKind = "lock"    // sync.Mutex, sync.RWMutex
	WaitChannel WaitKind = "channel" // a send, a receive or a select
	WaitSync    WaitKind = "sync"    // sync.WaitGroup, sync.Cond, other semaphores
	// WaitGC is the runtime's own locks taken while allocating or
	// collecting (the heap's, the sweeper's), as the mutex profile
	// records them under the user's frames.
	WaitGC WaitKind = "gc"
)

// gcWaitFuncs mark a runtime lock's wait as the allocator's or the
// collector's.
var gcWaitFuncs = []string{"runtime.mallocgc", "runtime.gcStart", "runtime.gcAssistAlloc", "runtime.(*mheap)", "runtime.(*mcentral)", "runtime.(*mcache)", "runtime.sweepone", "runtime.(*sweepLocked)", "runtime.gcDrain", "runtime.largeAlloc"}

// waitKinds classify a wait by the first frame (leaf first) naming one of
// the prefixes; a wait matching none is [WaitSync].
var waitKinds = []struct {
	kind     WaitKind
	prefixes []string
}{
	{WaitChannel, []string{"runtime.chanrecv", "runtime.chansend", "runtime.selectgo", "runtime.block", "runtime.selectnb"}},
	{WaitLock, []string{"sync.(*Mutex).", "internal/sync.(*Mutex).", "sync.(*RWMutex).", "sync.runtime_SemacquireMutex", "sync.runtime_SemacquireRWMutex"}},
	{WaitSync, []string{"sync.(*WaitGroup).", "sync.(*Cond).", "sync.runtime_notifyListWait", "sync.runtime_Semacquire"}},
}

// Wait is the time goroutines waited on one kind of thing per op, summed
// over goroutines, with the site that waited longest.
type Wait struct {
	Kind  WaitKind           `json:"kind"`
	PerOp float64            `json:"per_op"`
	Site  *pprofkit.WaitSite `json:"site,omitempty"`
}

// Roles is the CPU seconds of a CPU profile by the goroutine that spent
// them, told apart by the roots of their stacks.
type Roles struct {
	// Bench is the goroutine that runs the Benchmark function itself (a
	// b.N or b.Loop loop, or the serial part between parallel ones).
	Bench float64 `json:"bench"`
	// Parallel are b.RunParallel's goroutines.
	Parallel float64 `json:"parallel"`
	// Own are goroutines the benchmark started (a go statement in the
	// user's code, or in a library it calls).
	Own float64 `json:"own"`
	// OwnRoot is the function that started the most CPU of Own.
	OwnRoot string `json:"own_root,omitempty"`
}

// Work is the CPU seconds of the benchmark's own goroutines.
func (r Roles) Work() float64 { return r.Bench + r.Parallel + r.Own }

// BenchShare is the share of that work on the benchmark's goroutine, 0
// when there is none.
func (r Roles) BenchShare() float64 {
	if r.Work() <= 0 {
		return 0
	}
	return r.Bench / r.Work()
}

// systemRoots are the packages whose goroutines are not the benchmark's:
// the runtime's (GC workers, the scheduler, timers), testing's and the
// profiler's.
var systemRoots = []string{"runtime", "testing", "runtime/pprof", "internal/", "os/signal"}

// cpuRoles sorts p's CPU samples by the goroutine that took them.
func cpuRoles(p *profile.Profile) Roles {
	vi := -1
	for i, st := range p.SampleType {
		if st.Type == "cpu" && st.Unit == "nanoseconds" {
			vi = i
		}
	}
	if vi < 0 {
		return Roles{}
	}
	var r Roles
	own := map[string]float64{}
	for _, s := range p.Sample {
		v := float64(s.Value[vi]) / 1e9
		names := stackNames(s)
		switch {
		case slices.ContainsFunc(names, func(n string) bool { return strings.HasPrefix(n, "testing.(*B).RunParallel.func") }):
			r.Parallel += v
		case slices.ContainsFunc(names, func(n string) bool { return strings.HasPrefix(n, "testing.(*B).runN") }):
			r.Bench += v
		default:
			root := ""
			for _, n := range slices.Backward(names) {
				if n != "runtime.goexit" {
					root = n
					break
				}
			}
			pkg := pprofkit.FuncPackage(root)
			if root == "" || slices.ContainsFunc(systemRoots, func(s string) bool {
				return pkg == s || strings.HasSuffix(s, "/") && strings.HasPrefix(pkg, s)
			}) {
				continue
			}
			r.Own += v
			own[root] += v
		}
	}
	best := 0.0
	for root, v := range own {
		if v > best || v == best && root < r.OwnRoot {
			r.OwnRoot, best = root, v
		}
	}
	return r
}

// stackNames are the function names of s's frames, leaf first.
func stackNames(s *profile.Sample) []string {
	var names []string
	for _, loc := range s.Location {
		for _, ln := range loc.Line {
			if ln.Function != nil {
				names = append(names, ln.Function.Name)
			}
		}
	}
	return names
}

// waitsByKind reads a block or mutex profile: the wait of every sample
// whose first frame outside the runtime and sync is in the user's code
// (not in a package of ignore), by kind, with the longest site of each.
// The mutex profile's stacks are the unlockers', so all its waits are
// [WaitLock] but the runtime's own locks. ops is the operations run while profiled.
func waitsByKind(p *profile.Profile, mutex bool, ops float64, ignore ...string) ([]Wait, error) {
	di := -1
	for i, st := range p.SampleType {
		if st.Type == "delay" && st.Unit == "nanoseconds" {
			di = i
		}
	}
	if di < 0 {
		return nil, fmt.Errorf("profile has no delay/nanoseconds samples")
	}
	type key struct {
		kind WaitKind
		site pprofkit.WaitSite
	}
	sum := map[key]float64{}
	for _, s := range p.Sample {
		site, ok := pprofkit.UserFrame(s)
		if !ok || slices.Contains(ignore, pprofkit.FuncPackage(site.Func)) {
			continue
		}
		site.File = path.Base(site.File)
		names := stackNames(s)
		kind := waitKindOf(names)
		if mutex && kind != WaitLock {
			// The runtime's own locks: the allocator's and the
			// collector's count as GC, a channel's as a channel wait,
			// the rest (timers, the scheduler) are no one's.
			switch {
			case kind == WaitChannel:
			case slices.ContainsFunc(names, func(n string) bool {
				return slices.ContainsFunc(gcWaitFuncs, func(p string) bool { return strings.HasPrefix(n, p) })
			}):
				kind = WaitGC
			default:
				continue
			}
		}
		sum[key{kind, site}] += float64(s.Value[di]) / 1e9
	}
	byKind := map[WaitKind]*Wait{}
	total := map[WaitKind]float64{}
	for k, v := range sum {
		total[k.kind] += v
	}
	for k, v := range sum {
		w := byKind[k.kind]
		if w == nil {
			w = &Wait{Kind: k.kind}
			byKind[k.kind] = w
		}
		if w.Site == nil || v > w.Site.Seconds || v == w.Site.Seconds && k.site.String() < w.Site.String() {
			site := k.site
			site.Seconds, site.Share = v, v/total[k.kind]
			w.Site = &site
		}
	}
	var out []Wait
	for kind, w := range byKind {
		if ops > 0 {
			w.PerOp = total[kind] / ops
		}
		out = append(out, *w)
	}
	slices.SortFunc(out, func(a, b Wait) int {
		return cmp.Or(cmp.Compare(b.PerOp, a.PerOp), strings.Compare(string(a.Kind), string(b.Kind)))
	})
	return out, nil
}

// waitKindOf is the kind of the first frame, leaf first, that names one.
func waitKindOf(names []string) WaitKind {
	for _, n := range names {
		for _, k := range waitKinds {
			if slices.ContainsFunc(k.prefixes, func(p string) bool { return strings.HasPrefix(n, p) }) {
				return k.kind
			}
		}
	}
	return WaitSync
}

// waitOf is p's wait of kind k per op, 0 when none was recorded.
func (p *Point) waitOf(k WaitKind) float64 {
	for _, w := range p.Waits {
		if w.Kind == k {
			return w.PerOp
		}
	}
	return 0
}

// siteOf is the site of p's longest wait of kind k, or nil.
func (p *Point) siteOf(k WaitKind) *pprofkit.WaitSite {
	for _, w := range p.Waits {
		if w.Kind == k {
			return w.Site
		}
	}
	return nil
}
