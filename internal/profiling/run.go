package profiling

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/conclab/conclab/internal/pprofkit"
	"math"
	"os"
	"path/filepath"
	"regexp"
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
	Machine pprofkit.Machine `json:"machine"`
	Date    time.Time        `json:"date"`
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

// WriteRun writes run as dir/run-N.json, atomically: the mark of a
// complete recording, written after its profiles.
func WriteRun(dir string, run *Run) error {
	b, err := json.MarshalIndent(run, "", "  ")
	if err != nil {
		return err
	}
	return pprofkit.WriteBytes(filepath.Join(dir, fmt.Sprintf("run-%d.json", run.Procs)), append(b, '\n'))
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
