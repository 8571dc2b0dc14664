package scale

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/conclab/conclab/internal/pprofkit"
)

// frameworkPackages are the packages whose waits are the benchmark
// driver's, not the benchmark's: testing's B waits for RunParallel's
// goroutines and for each sub-benchmark, and the profiler waits for its
// writer.
var frameworkPackages = []string{"testing", "runtime/pprof"}

// analyze reads the profiles of p in dir with internal/profiling (the code
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
	}
	if flame {
		p.Flame = fmt.Sprintf("cpu-%d.svg", p.Procs)
		return pprofkit.WriteFile(filepath.Join(dir, p.Flame), func(w io.Writer) error {
			return pprofkit.WriteFlameGraph(w, prof, fmt.Sprintf("%s at GOMAXPROCS=%d", title, p.Procs))
		})
	}
	return nil
}
