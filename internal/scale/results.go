package scale

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/conclab/conclab/internal/pprofkit"
)

// ResultsFile is the name of the results of one run, beside its profiles.
const ResultsFile = "scale.json"

// Results is one run of `conclab scale` on one machine: every benchmark at
// every core count, with the figures read from the profiles. It is stored
// as DIR/scale.json, and the report is rendered from it alone (with links
// to the profiles and flame graphs beside it), so that runs from several
// machines can be merged.
type Results struct {
	Machine pprofkit.Machine `json:"machine"`
	Date    time.Time        `json:"date"`
	// LoadAverage is the one-minute load average when the run started.
	LoadAverage float64 `json:"load_average"`
	// Args are the command's arguments, for the report's head.
	Args []string `json:"args"`
	// Benchmarks are in the order run.
	Benchmarks []*Benchmark `json:"benchmarks"`
	// BaseRef and BaseCommit name the base of a -base run; Base holds its
	// benchmarks, measured the same way.
	BaseRef    string       `json:"base_ref,omitempty"`
	BaseCommit string       `json:"base_commit,omitempty"`
	Base       []*Benchmark `json:"base,omitempty"`

	dir string // where the file was read from
}

// Benchmark is one benchmark (a leaf of the sub-benchmark tree) measured at
// every core count.
type Benchmark struct {
	Package string `json:"package"`
	// Name is the full name, "BenchmarkX/sub", without a GOMAXPROCS suffix.
	Name string `json:"name"`
	// Dir is the directory of its profiles, relative to the results file.
	Dir    string   `json:"dir"`
	Points []*Point `json:"points"`
}

// Point is one benchmark at one core count: one child process.
type Point struct {
	Procs int `json:"procs"`
	// NsPerOp has one value per -count.
	NsPerOp     []float64 `json:"ns_per_op"`
	BytesPerOp  float64   `json:"bytes_per_op"`
	AllocsPerOp float64   `json:"allocs_per_op"`
	// Parallelism is the effective parallelism read from the CPU profile by
	// pprofkit.AnalyzeCPU (CPU seconds ÷ the profile's wall seconds).
	Parallelism float64            `json:"parallelism"`
	CPUSeconds  float64            `json:"cpu_seconds"`
	Overheads   pprofkit.Overheads `json:"overheads"`
	// Top is the function with the most flat CPU and its share.
	Top      string  `json:"top"`
	TopShare float64 `json:"top_share"`
	// MutexPerOp and BlockPerOp are seconds of waiting per operation,
	// summed over goroutines: the profile's wait ÷ the operations the
	// benchmark ran while profiled (estimated as the profile's wall time ÷
	// ns/op). Nil where there was no profile.
	MutexPerOp *float64           `json:"mutex_per_op,omitempty"`
	BlockPerOp *float64           `json:"block_per_op,omitempty"`
	MutexSite  *pprofkit.WaitSite `json:"mutex_site,omitempty"`
	BlockSite  *pprofkit.WaitSite `json:"block_site,omitempty"`
	// Waits are the same waits by what was waited on (the block profile's
	// waiters' frames; a lock's wait is the larger of the two profiles'),
	// in the user's code only, largest first.
	Waits []Wait `json:"waits,omitempty"`
	// Roles is the CPU profile's seconds by the goroutine that spent them.
	Roles Roles `json:"roles"`
	// Files are relative to the benchmark's directory.
	CPUFile   string `json:"cpu_file,omitempty"`
	MutexFile string `json:"mutex_file,omitempty"`
	BlockFile string `json:"block_file,omitempty"`
	Flame     string `json:"flame,omitempty"`
	DiffFlame string `json:"diff_flame,omitempty"`
	// Err says why this point failed; its other figures are then empty.
	Err string `json:"error,omitempty"`
	// Seconds is the child process's wall time.
	Seconds float64 `json:"seconds"`
}

// NsOp is the mean of the point's ns/op values, 0 when it has none.
func (p *Point) NsOp() float64 {
	if len(p.NsPerOp) == 0 {
		return 0
	}
	var s float64
	for _, v := range p.NsPerOp {
		s += v
	}
	return s / float64(len(p.NsPerOp))
}

// point returns b's point at procs, or nil.
func (b *Benchmark) point(procs int) *Point {
	for _, p := range b.Points {
		if p.Procs == procs {
			return p
		}
	}
	return nil
}

// Failed reports whether any point of any benchmark failed.
func (r *Results) Failed() bool {
	for _, bs := range [][]*Benchmark{r.Benchmarks, r.Base} {
		for _, b := range bs {
			for _, p := range b.Points {
				if p.Err != "" {
					return true
				}
			}
		}
	}
	return false
}

// Write stores r as dir/scale.json, atomically.
func (r *Results) Write(dir string) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return pprofkit.WriteFile(filepath.Join(dir, ResultsFile), func(w io.Writer) error {
		_, err := w.Write(append(data, '\n'))
		return err
	})
}

// ReadResults reads every scale.json under dirs (a directory holding one,
// or a tree of them), in the order found.
func ReadResults(dirs ...string) ([]*Results, error) {
	var all []*Results
	for _, root := range dirs {
		if info, err := os.Stat(root); err != nil {
			return nil, err
		} else if !info.IsDir() {
			return nil, fmt.Errorf("%s: not a directory", root)
		}
		err := filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() || e.Name() != ResultsFile {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			r := &Results{dir: filepath.Dir(path)}
			if err := json.Unmarshal(data, r); err != nil {
				return fmt.Errorf("%s: %v", path, err)
			}
			for _, b := range slices.Concat(r.Benchmarks, r.Base) {
				for _, p := range b.Points {
					if p.Procs < 1 || slices.ContainsFunc(p.NsPerOp, func(v float64) bool { return !(v > 0) || math.IsInf(v, 0) }) {
						return fmt.Errorf("%s: %s at n=%d: bad figures", path, b.Name, p.Procs)
					}
				}
			}
			all = append(all, r)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("no %s under %s; record one with `conclab scale`", ResultsFile, dirs)
	}
	return all, nil
}

// Reanalyze reads the profiles of every point of r again with this
// version's analysis (the shares, the roles, the waits), leaving the
// measured figures (ns/op, B/op) as they were; the flame graphs are not
// redrawn. It lets a change of the analysis be judged on measurements
// already made.
func (r *Results) Reanalyze() error {
	for _, b := range slices.Concat(r.Benchmarks, r.Base) {
		for _, p := range b.Points {
			if p.Err != "" || p.CPUFile == "" {
				continue
			}
			if err := analyze(filepath.Join(r.dir, b.Dir), p, b.Name, false); err != nil {
				return fmt.Errorf("%s at n=%d: %w", b.Name, p.Procs, err)
			}
		}
	}
	return nil
}
