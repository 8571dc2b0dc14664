package scale

import (
	"cmp"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

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
	if p.Overheads, err = pprofkit.AnalyzeOverheads(prof); err != nil {
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
