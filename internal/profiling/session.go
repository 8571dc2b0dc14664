package profiling

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/conclab/conclab/scenarios"
)

// Run is the metadata of one recording, stored as run-N.json beside its
// profiles: everything the report needs that the profiles do not say.
type Run struct {
	// Scenario, Section, Kind and Doc describe the scenario recorded, so
	// that a report can be built where the scenario is not registered.
	Scenario string `json:"scenario"`
	Section  string `json:"section"`
	Kind     string `json:"kind"`
	Doc      string `json:"doc,omitempty"`
	// Python is the snippet of the article the scenario replaces.
	Python string `json:"python,omitempty"`
	// Procs is GOMAXPROCS during the recording: the n of the file names.
	Procs int `json:"gomaxprocs"`
	// Config is the configuration each round ran with (Latency in
	// nanoseconds).
	Config scenarios.Config `json:"config"`
	// Rounds is how many times the work ran within WallSeconds.
	Rounds int `json:"rounds"`
	// WallSeconds is the wall time of all the rounds.
	WallSeconds float64 `json:"wall_seconds"`
	// SerialSeconds is the wall time of one round of the scenario's serial
	// baseline, recorded in the same session at GOMAXPROCS 1; 0 if the
	// scenario has none.
	SerialSeconds float64 `json:"serial_seconds,omitempty"`
	// CriticalPathSeconds is, for a scenario that waits, the wall time of
	// one round if its waits overlapped perfectly: the scenario's own
	// timing claim (scenarios.Timing) for the recorded configuration. 0
	// for scenarios that state none.
	CriticalPathSeconds float64 `json:"critical_path_seconds,omitempty"`
	// ChildCPUSeconds is the CPU time of child processes that exited during
	// the recording (a process pool's workers), which the CPU profile does
	// not hold; 0 for scenarios that start none.
	ChildCPUSeconds float64 `json:"child_cpu_seconds,omitempty"`
	// ExtraRounds is how many rounds the mutex and block profiles (or the
	// goroutine profile) cover: a second pass, so that their bookkeeping
	// stays out of the CPU profile and the wall time.
	ExtraRounds int `json:"extra_rounds,omitempty"`
	// PeakGoroutines is the largest number of goroutines seen (IO
	// scenarios).
	PeakGoroutines int `json:"peak_goroutines,omitempty"`
	// MaxConcurrent is the first round's Result.MaxConcurrent: the peak
	// number of goroutines holding a bounded resource at once.
	MaxConcurrent int `json:"max_concurrent,omitempty"`
	// Summary is the scenario's own one-line summary of its first round.
	Summary string `json:"summary,omitempty"`
	// Files names the profiles, relative to the run's directory.
	Files Files `json:"files"`
	// LoadAverage is the machine's one-minute load average just before the
	// recording (Linux; 0 elsewhere). It counts the recorder's own threads
	// too: see OtherCores for the load of other programs.
	LoadAverage float64 `json:"load_average,omitempty"`
	// OtherCores is the average number of cores that other processes kept
	// busy during the CPU pass: the machine's busy time (/proc/stat) minus
	// the recorder's own CPU and its children's. Nil where it could not be
	// measured (not Linux, or a recording older than the field).
	OtherCores *float64 `json:"other_cores,omitempty"`
	// Session identifies the `conclab profile` run that made the recording:
	// recordings of one session share their work size and their moment, and
	// speed-ups compare recordings of one session only.
	Session string `json:"session,omitempty"`
	// Machine and Date say where and when the recording was made.
	Machine Machine   `json:"machine"`
	Date    time.Time `json:"date"`
}

// ChildParallelism is the average number of cores busy in child
// processes during the recording: ChildCPUSeconds ÷ WallSeconds.
func (r *Run) ChildParallelism() float64 {
	if r.WallSeconds <= 0 {
		return 0
	}
	return r.ChildCPUSeconds / r.WallSeconds
}

// RoundSeconds is the wall time of one round: the fixed amount of work the
// speed-ups compare.
func (r *Run) RoundSeconds() float64 {
	return r.WallSeconds / float64(max(r.Rounds, 1))
}

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
	Recorded func(run *Run, dir string, cpu CPUStats)
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
	if err := CheckWritable(opts.Dir); err != nil {
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
				var st CPUStats
				if p, err := ReadProfile(filepath.Join(staging, run.Files.CPU)); err == nil {
					st, _ = AnalyzeCPU(p, 1)
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

// replaceRecordings replaces the recordings in dir by the complete set in
// staging, run files last, and removes staging. Other files in dir stay.
func replaceRecordings(dir, staging string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := removeStale(dir); err != nil {
		return err
	}
	entries, err := os.ReadDir(staging)
	if err != nil {
		return err
	}
	// A run file marks a complete recording: move it after its profiles.
	last := func(e os.DirEntry) int {
		if runFile.MatchString(e.Name()) {
			return 1
		}
		return 0
	}
	slices.SortStableFunc(entries, func(a, b os.DirEntry) int { return cmp.Compare(last(a), last(b)) })
	for _, e := range entries {
		if err := os.Rename(filepath.Join(staging, e.Name()), filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return os.Remove(staging)
}

// removeAllRecordings removes from out every recording (the files
// removeStale removes, in each scenario directory), every speed-up chart
// and the scenario directories left empty.
func removeAllRecordings(out string) error {
	entries, err := os.ReadDir(out)
	if err != nil {
		return err
	}
	for _, e := range entries {
		path := filepath.Join(out, e.Name())
		switch {
		case e.IsDir() && !strings.HasPrefix(e.Name(), "."):
			if err := removeStale(path); err != nil {
				return err
			}
			os.Remove(path) // only if empty
		case chartFile.MatchString(e.Name()):
			if err := os.Remove(path); err != nil {
				return err
			}
		}
	}
	return nil
}

// staleFile matches the files a recording writes.
var staleFile = regexp.MustCompile(`^(cpu|mutex|block|goroutine|run)-\d+\.(pb\.gz|svg|json)$`)

// removeStale removes earlier recordings from dir, so that a report never
// mixes them with this session's. Other files are left alone.
func removeStale(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.IsDir() && staleFile.MatchString(e.Name()) {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
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
	load := loadAverage()
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
		Machine:             ThisMachine(),
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
	p, err := ReadProfile(filepath.Join(dir, run.Files.CPU))
	if err != nil {
		return "", err
	}
	name := fmt.Sprintf("cpu-%d.svg", run.Procs)
	title := fmt.Sprintf("%s at GOMAXPROCS=%d on %s", run.Scenario, run.Procs, run.Machine.Label())
	if run.Machine.Cores == 0 {
		title = fmt.Sprintf("%s at GOMAXPROCS=%d", run.Scenario, run.Procs)
	}
	err = WriteFile(filepath.Join(dir, name), func(w io.Writer) error { return WriteFlameGraph(w, p, title) })
	return name, err
}

// WriteRun writes run as dir/run-N.json, atomically: the mark of a
// complete recording, written after its profiles.
func WriteRun(dir string, run *Run) error {
	b, err := json.MarshalIndent(run, "", "  ")
	if err != nil {
		return err
	}
	return writeBytes(filepath.Join(dir, fmt.Sprintf("run-%d.json", run.Procs)), append(b, '\n'))
}

// ReadRun reads a run-N.json and checks that it names a scenario, a
// GOMAXPROCS, a wall time and a CPU profile.
func ReadRun(file string) (*Run, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var run Run
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&run); err != nil {
		return nil, fmt.Errorf("%s: not a conclab run file: %v", file, err)
	}
	if run.Scenario == "" || run.Procs < 1 || run.Files.CPU == "" || run.WallSeconds <= 0 {
		return nil, fmt.Errorf("%s: not a conclab run file: scenario, gomaxprocs, wall_seconds and files.cpu are required", file)
	}
	// The report names files after the scenario and opens the files the run
	// names: a run file copied from elsewhere must not reach outside its
	// directory.
	if !safeName.MatchString(run.Scenario) {
		return nil, fmt.Errorf("%s: scenario %q: not a scenario name (lower-case letters, digits and dashes)", file, run.Scenario)
	}
	for _, f := range []string{run.Files.CPU, run.Files.Flame, run.Files.Mutex, run.Files.Block, run.Files.Goroutine} {
		if f != "" && !safeFile.MatchString(f) {
			return nil, fmt.Errorf("%s: file %q: not a file name of a recording", file, f)
		}
	}
	if math.IsInf(run.WallSeconds, 0) || math.IsNaN(run.WallSeconds) || run.Rounds < 0 || run.Procs > maxProcs {
		return nil, fmt.Errorf("%s: not a conclab run file: wall_seconds, rounds or gomaxprocs out of range", file)
	}
	return &run, nil
}

// maxProcs bounds the GOMAXPROCS a run file may claim.
const maxProcs = 1 << 16

var (
	// safeName is what a scenario name read from disk may be: a slug that
	// is safe as part of a file name.
	safeName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)
	// safeFile is what a profile's file name read from disk may be: a
	// plain name in the run's own directory.
	safeFile = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$`)
)
