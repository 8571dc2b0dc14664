package scale

import (
	"cmp"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/google/pprof/profile"

	"github.com/conclab/conclab/internal/pprofkit"
)

// frameworkPackages are the packages whose waits are the benchmark
// driver's, not the benchmark's: testing's B waits for RunParallel's
// goroutines and for each sub-benchmark, and the profiler waits for its
// writer.
var frameworkPackages = []string{"testing", "runtime/pprof"}

// analyze reads the profiles of p in dir with internal/pprofkit (the code
// `conclab profile` uses) and fills p's figures; with flame set it renders
// the CPU profile's flame graph beside it.
func analyze(dir string, p *Point, title string, flame bool) error {
	cpuPath := filepath.Join(dir, p.CPUFile)
	prof, err := pprofkit.ReadProfile(cpuPath)
	if err != nil {
		return err
	}
	st, err := pprofkit.AnalyzeCPU(prof, 1)
	if err != nil {
		return fmt.Errorf("%s: %w", cpuPath, err)
	}
	p.Parallelism, p.CPUSeconds = st.Parallelism, st.CPUSeconds
	if len(st.Top) > 0 && st.CPUSeconds > 0 {
		p.Top, p.TopShare = st.Top[0].Name, st.Top[0].Flat/st.CPUSeconds
	}
	if p.Overheads, err = schedOverheads(prof); err != nil {
		return fmt.Errorf("%s: %w", cpuPath, err)
	}
	// Operations run while profiled, estimated from the profile's wall time.
	ops := 0.0
	if ns := p.NsOp(); ns > 0 {
		ops = st.WallSeconds * 1e9 / ns
	}
	p.Roles = cpuRoles(prof)
	p.Waits = nil
	for _, w := range []struct {
		file  string
		perOp **float64
		site  **pprofkit.WaitSite
	}{{p.MutexFile, &p.MutexPerOp, &p.MutexSite}, {p.BlockFile, &p.BlockPerOp, &p.BlockSite}} {
		if w.file == "" {
			continue
		}
		path := filepath.Join(dir, w.file)
		wp, err := pprofkit.ReadProfile(path)
		if err != nil {
			return err
		}
		ws, sites, err := pprofkit.AnalyzeWaitSites(wp, frameworkPackages...)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if ops > 0 {
			v := ws.Seconds / ops
			*w.perOp = &v
		}
		if len(sites) > 0 && sites[0].Seconds > 0 {
			*w.site = &sites[0]
		}
		kinds, err := waitsByKind(wp, w.file == p.MutexFile, ops, frameworkPackages...)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		p.Waits = mergeWaits(p.Waits, kinds)
	}
	if flame {
		p.Flame = fmt.Sprintf("cpu-%d.svg", p.Procs)
		return pprofkit.WriteFile(filepath.Join(dir, p.Flame), func(w io.Writer) error {
			return pprofkit.WriteFlameGraph(w, prof, fmt.Sprintf("%s at GOMAXPROCS=%d", title, p.Procs))
		})
	}
	return nil
}

// wakeFuncs mark a sample as parking or waking a goroutine for a
// WaitGroup or a Cond when one is the first frame, leaf first, outside the
// runtime and sync's semaphores: the semaphore under them is no lock.
var wakeFuncs = []string{"sync.(*WaitGroup).", "sync.(*Cond)."}

// wakes reports whether a stack's leaf-most frame outside the runtime and
// sync's semaphores is a WaitGroup's or a Cond's.
func wakes(names []string) bool {
	for _, n := range names {
		if runtimeFunc(n) || strings.HasPrefix(n, "sync.runtime_") || strings.HasPrefix(n, "internal/sync.") {
			continue
		}
		return slices.ContainsFunc(wakeFuncs, func(p string) bool { return strings.HasPrefix(n, p) })
	}
	return false
}

// schedOverheads is [pprofkit.AnalyzeOverheads] with two more kinds of
// sample counted as the scheduler's: a WaitGroup's or a Cond's semaphore
// (pprofkit counts it as a lock: it parks and readies goroutines, and
// locks nothing), and a stack wholly in the runtime that names none of
// pprofkit's overheads (a goroutine's exit, a P's search for work under
// runtime.mcall or runtime.mstart: the cost of goroutines coming and
// going, with no user frame to charge).
func schedOverheads(prof *profile.Profile) (pprofkit.Overheads, error) {
	o, err := pprofkit.AnalyzeOverheads(prof)
	if err != nil || o.Samples == 0 {
		return o, err
	}
	vi := slices.IndexFunc(prof.SampleType, func(st *profile.ValueType) bool { return st.Type == "cpu" && st.Unit == "nanoseconds" })
	var total float64
	var wake, runtimeOnly []*profile.Sample
	var wakeV, runtimeV float64
	for _, s := range prof.Sample {
		v := float64(s.Value[vi])
		total += v
		names := stackNames(s)
		switch {
		case wakes(names):
			wake, wakeV = append(wake, s), wakeV+v
		case len(names) > 0 && !slices.ContainsFunc(names, func(n string) bool { return !runtimeFunc(n) }):
			runtimeOnly, runtimeV = append(runtimeOnly, s), runtimeV+v
		}
	}
	if total <= 0 {
		return o, nil
	}
	sub := func(samples []*profile.Sample) pprofkit.Overheads {
		so, _ := pprofkit.AnalyzeOverheads(&profile.Profile{SampleType: prof.SampleType, PeriodType: prof.PeriodType, Period: prof.Period, Sample: samples})
		return so
	}
	if len(wake) > 0 {
		moved := sub(wake).Lock * wakeV / total
		o.Lock -= moved
		o.Sched += moved
	}
	if len(runtimeOnly) > 0 {
		so := sub(runtimeOnly)
		o.Sched += max(0, 1-so.GC-so.Alloc-so.Lock-so.Sched) * runtimeV / total
	}
	return o, nil
}

// runtimeFunc reports whether a function is the runtime's own.
func runtimeFunc(name string) bool {
	pkg := pprofkit.FuncPackage(name)
	return pkg == "runtime" || strings.HasPrefix(pkg, "internal/runtime/") || strings.HasPrefix(pkg, "runtime/internal/")
}

// mergeWaits adds the waits of one profile to those of another: a kind
// both hold (a lock, which the mutex profile records from the unlocker's
// side and the block profile from the waiter's) keeps the larger.
func mergeWaits(a, b []Wait) []Wait {
	for _, w := range b {
		if i := slices.IndexFunc(a, func(x Wait) bool { return x.Kind == w.Kind }); i >= 0 {
			if w.PerOp > a[i].PerOp {
				a[i] = w
			}
			continue
		}
		a = append(a, w)
	}
	slices.SortFunc(a, func(x, y Wait) int {
		return cmp.Or(cmp.Compare(y.PerOp, x.PerOp), strings.Compare(string(x.Kind), string(y.Kind)))
	})
	return a
}
