package scale

import (
	"fmt"
	"path/filepath"

	"github.com/conclab/conclab/internal/pprofkit"
)

// writeDiffFlames renders, for every benchmark measured at both base and
// head and every n where both succeeded, the differential flame graph of
// their CPU profiles (pprofkit.WriteDiffFlameGraph) beside head's
// profiles, as diff-<n>.svg.
func writeDiffFlames(res *Results, out string) error {
	for _, hb := range res.Benchmarks {
		var bb *Benchmark
		for _, b := range res.Base {
			if b.Package == hb.Package && b.Name == hb.Name {
				bb = b
			}
		}
		if bb == nil {
			continue
		}
		for _, hp := range hb.Points {
			bp := bb.point(hp.Procs)
			if bp == nil || bp.Err != "" || hp.Err != "" {
				continue
			}
			base, err := pprofkit.ReadProfile(filepath.Join(out, filepath.FromSlash(bb.Dir), bp.CPUFile))
			if err != nil {
				return err
			}
			head, err := pprofkit.ReadProfile(filepath.Join(out, filepath.FromSlash(hb.Dir), hp.CPUFile))
			if err != nil {
				return err
			}
			hp.DiffFlame = fmt.Sprintf("diff-%d.svg", hp.Procs)
			title := fmt.Sprintf("%s at GOMAXPROCS=%d: %s → work tree", hb.Name, hp.Procs, res.BaseRef)
			if err := pprofkit.WriteDiffFlameGraphFile(filepath.Join(out, filepath.FromSlash(hb.Dir), hp.DiffFlame), base, head, title); err != nil {
				return err
			}
		}
	}
	return nil
}
