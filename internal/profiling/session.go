package profiling

import (
	"context"
	"errors"
	"fmt"
	"github.com/conclab/conclab/internal/pprofkit"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/conclab/conclab/scenarios"
)

// DefaultMinWall is the least wall time of a recording at -work 1; it
// scales with the work.
const DefaultMinWall = 400 * time.Millisecond

// Options configures [ProfileAll].
type Options struct {
	// Dir is the output directory: profiles go to Dir/<scenario>/.
	Dir string
	// Scenarios to record, in order.
	Scenarios []*scenarios.Scenario
	// Procs are the GOMAXPROCS values to record each scenario at.
	Procs []int
	// Work scales each scenario's defaults (see [ScaleConfig]) and the
	// minimum wall time of a recording; 1 if zero.
	Work float64
	// MinWall is the least wall time of a recording (and of the serial
	// baseline's measurement): the work is repeated until it has passed.
	// Zero means DefaultMinWall × Work.
	MinWall time.Duration
	// Progress, if not nil, is called before each step with its number
	// (from 1), the number of steps and what the step does.
	Progress func(step, steps int, what string)
	// Recorded, if not nil, is called after each recording with its
	// metadata, the directory it will be in once its scenario is complete,
	// and what its CPU profile says.
	Recorded func(run *Run, dir string, cpu pprofkit.CPUStats)
	// Fresh removes every recording, chart and report in Dir before
	// recording, so that the report holds this session only.
	Fresh bool
}

// ScaleConfig returns cfg with its amount of work multiplied by work:
// for CPU scenarios the kernel iterations per item (Work) when set, else
// the number of Items; for the others the number of Items (an IO
// scenario's latency is kept). A scaled size is never below 1.
func ScaleConfig(cfg scenarios.Config, kind scenarios.Kind, work float64) scenarios.Config {
	scale := func(v, hi int) int {
		return int(math.Min(float64(hi), math.Max(1, math.Round(float64(v)*work))))
	}
	switch {
	case kind == scenarios.CPU && cfg.Work > 0:
		cfg.Work = scale(cfg.Work, scenarios.MaxWork)
	case cfg.Items > 0:
		cfg.Items = scale(cfg.Items, scenarios.MaxItems)
	case cfg.Work > 0:
		cfg.Work = scale(cfg.Work, scenarios.MaxWork)
	}
	return cfg
}

// ExtraFor returns the profiles a scenario of kind k is recorded with
// besides the CPU profile: mutex and block for Sync, the goroutine peak for IO.
func ExtraFor(k scenarios.Kind) Extra {
	switch k {
	case scenarios.Sync:
		return Mutex | Block
	case scenarios.IO:
		return Goroutine
	}
	return 0
}

// ProfileAll records every scenario of opts at every GOMAXPROCS of opts,
// one recording at a time: first the serial baseline (timed, not
// profiled), then one recording per n, each with its flame graph and
// run-N.json. Every result is checked with the scenario's Check. A
// scenario's recordings are made in a staging directory and replace those
// in Dir/<scenario>/ only once all of them are complete, so an interrupted
// session leaves the earlier recordings as they were. Dir's report files
// are removed first ([Report] writes them again), and with opts.Fresh every
// earlier recording too. It returns the runs recorded, and stops at the
// first error (ctx's included).
func ProfileAll(ctx context.Context, opts Options) ([]Run, error) {
	if opts.Work == 0 {
		opts.Work = 1
	}
	minWall := opts.MinWall
	if minWall == 0 {
		minWall = time.Duration(float64(DefaultMinWall) * opts.Work)
	}
	if err := pprofkit.CheckWritable(opts.Dir); err != nil {
		return nil, err
	}
	for _, name := range []string{"report.md", "report.html"} {
		if err := os.Remove(filepath.Join(opts.Dir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
	}
	if opts.Fresh {
		if err := removeAllRecordings(opts.Dir); err != nil {
			return nil, err
		}
	}
	session := fmt.Sprintf("%s-%d", time.Now().UTC().Format("20060102T150405.000"), os.Getpid())
	steps := 0
	for _, s := range opts.Scenarios {
		steps += len(opts.Procs)
		if s.Serial != nil {
			steps++
		}
	}
	progress := func(step int, format string, args ...any) {
		if opts.Progress != nil {
			opts.Progress(step, steps, fmt.Sprintf(format, args...))
		}
	}
	var runs []Run
	step := 0
	for _, s := range opts.Scenarios {
		cfg := ScaleConfig(s.Defaults, s.Kind, opts.Work)
		if err := cfg.Validate(); err != nil {
			return runs, fmt.Errorf("%s: scaled configuration: %w", s.Name, err)
		}
		if err := s.CheckResources(cfg); err != nil {
			return runs, fmt.Errorf("%s: scaled configuration: %w", s.Name, err)
		}
		dir := filepath.Join(opts.Dir, s.Name)
		staging, err := os.MkdirTemp(opts.Dir, "."+s.Name+".partial-*")
		if err != nil {
			return runs, err
		}
		defer os.RemoveAll(staging)
		var serial float64
		if s.Serial != nil {
			step++
			progress(step, "%s serial baseline", s.Name)
			var err error
			if serial, err = timeSerial(ctx, s, cfg, minWall); err != nil {
				return runs, err
			}
		}
		var these []Run
		for _, n := range opts.Procs {
			step++
			progress(step, "%s GOMAXPROCS=%d", s.Name, n)
			run, err := recordScenario(ctx, staging, s, cfg, n, minWall)
			if err != nil {
				return runs, err
			}
			run.SerialSeconds = serial
			run.Session = session
			if err := WriteRun(staging, &run); err != nil {
				return runs, err
			}
			if opts.Recorded != nil {
				var st pprofkit.CPUStats
				if p, err := pprofkit.ReadProfile(filepath.Join(staging, run.Files.CPU)); err == nil {
					st, _ = pprofkit.AnalyzeCPU(p, 1)
				}
				opts.Recorded(&run, dir, st)
			}
			these = append(these, run)
		}
		if err := replaceRecordings(dir, staging); err != nil {
			return runs, err
		}
		runs = append(runs, these...)
	}
	return runs, nil
}

// timeSerial runs s's serial baseline at GOMAXPROCS 1 until minWall has
// passed and returns the wall seconds of one round. The first round's
// result is checked outside the timed rounds: a Check may redo the work.
func timeSerial(ctx context.Context, s *scenarios.Scenario, cfg scenarios.Config, minWall time.Duration) (float64, error) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	var wall time.Duration
	rounds := 0
	for rounds == 0 || wall < minWall {
		start := time.Now()
		res, err := s.Serial(ctx, cfg)
		wall += time.Since(start)
		if err != nil {
			return 0, fmt.Errorf("%s serial baseline: %w", s.Name, err)
		}
		if rounds == 0 {
			if err := s.Check(cfg, res); err != nil {
				return 0, fmt.Errorf("%s serial baseline: invariant failed: %w", s.Name, err)
			}
		}
		rounds++
	}
	return wall.Seconds() / float64(rounds), nil
}

// recordScenario records s at GOMAXPROCS n into dir and renders the flame
// graph of its CPU profile.
func recordScenario(ctx context.Context, dir string, s *scenarios.Scenario, cfg scenarios.Config, n int, minWall time.Duration) (Run, error) {
	var first *scenarios.Result
	load := pprofkit.LoadAverage()
	rec, err := Record(ctx, dir, Job{
		Procs:   n,
		Extra:   ExtraFor(s.Kind),
		MinWall: minWall,
		Round: func(ctx context.Context) error {
			res, err := s.Run(ctx, cfg)
			if err == nil && first == nil {
				first = &res
			}
			return err
		},
	})
	if err != nil {
		return Run{}, fmt.Errorf("%s GOMAXPROCS=%d: %w", s.Name, n, err)
	}
	if err := s.Check(cfg, *first); err != nil {
		return Run{}, fmt.Errorf("%s GOMAXPROCS=%d: invariant failed: %w", s.Name, n, err)
	}
	run := Run{
		Scenario:            s.Name,
		Section:             s.Section.String(),
		Kind:                s.Kind.String(),
		Doc:                 s.Doc,
		Python:              s.Python,
		Procs:               n,
		Config:              cfg,
		Rounds:              rec.Rounds,
		WallSeconds:         rec.Wall.Seconds(),
		ChildCPUSeconds:     rec.ChildCPU.Seconds(),
		OtherCores:          rec.OtherCores,
		CriticalPathSeconds: criticalPath(s, cfg),
		ExtraRounds:         rec.ExtraRounds,
		PeakGoroutines:      rec.PeakGoroutines,
		MaxConcurrent:       first.MaxConcurrent,
		Summary:             first.Summary,
		Files:               rec.Files,
		LoadAverage:         load,
		Machine:             pprofkit.ThisMachine(),
		Date:                time.Now().UTC().Truncate(time.Second),
	}
	if run.Files.Flame, err = renderFlame(dir, &run); err != nil {
		return Run{}, err
	}
	return run, nil
}

// criticalPath is the seconds s's timing claim gives for one round under
// cfg, 0 if it states none.
func criticalPath(s *scenarios.Scenario, cfg scenarios.Config) float64 {
	if s.Timing == nil || s.Timing.Run == nil {
		return 0
	}
	return s.Timing.Run(cfg).Seconds()
}

// renderFlame writes the flame graph of run's CPU profile beside it and
// returns its file name.
func renderFlame(dir string, run *Run) (string, error) {
	p, err := pprofkit.ReadProfile(filepath.Join(dir, run.Files.CPU))
	if err != nil {
		return "", err
	}
	name := fmt.Sprintf("cpu-%d.svg", run.Procs)
	title := fmt.Sprintf("%s at GOMAXPROCS=%d on %s", run.Scenario, run.Procs, run.Machine.Label())
	if run.Machine.Cores == 0 {
		title = fmt.Sprintf("%s at GOMAXPROCS=%d", run.Scenario, run.Procs)
	}
	err = pprofkit.WriteFile(filepath.Join(dir, name), func(w io.Writer) error { return pprofkit.WriteFlameGraph(w, p, title) })
	return name, err
}
