package profiling

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/conclab/conclab/internal/pprofkit"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"

	"github.com/google/pprof/profile"

	"github.com/conclab/conclab/internal/verdict"
)

// Extra selects the profiles a recording takes besides the CPU profile,
// which it always takes.
type Extra uint8

const (
	// Mutex records the mutex profile: time goroutines waited for a
	// sync.Mutex or sync.RWMutex held by another.
	Mutex Extra = 1 << iota
	// Block records the block profile: time goroutines spent blocked on
	// channels, select, sync.Cond and the like.
	Block
	// Goroutine records the goroutine profile at the peak number of
	// goroutines during the first round.
	Goroutine
)

// The sampling rates of the contention profiles. Each keeps its estimate
// unbiased (the runtime scales the sampled events back up), so the rates
// trade only precision against overhead.
const (
	// MutexFraction samples one contention event in MutexFraction.
	MutexFraction = 5
	// BlockRate samples blocking events shorter than BlockRate nanoseconds
	// in proportion to their length, and records all longer ones.
	BlockRate = 10_000
)

// A Job is one recording: Round run at GOMAXPROCS Procs, again and again
// until MinWall has passed (at least once), under the CPU profiler; then,
// if Extra asks for more, a second pass under the other profilers.
type Job struct {
	// Procs is GOMAXPROCS during the recording, and the n in the file names.
	Procs int
	// Extra adds the mutex, block and goroutine profiles.
	Extra Extra
	// MinWall is the least wall time of the CPU pass. Rounds are repeated
	// until it has passed so that a short piece of work still leaves enough
	// samples: the CPU profiler samples 100 times a second per busy thread,
	// so 0.4 s of one busy core is about 40 samples.
	MinWall time.Duration
	// Round does one fixed amount of the work. It must return promptly
	// with ctx.Err() when ctx is cancelled.
	Round func(ctx context.Context) error
}

// A Recording is what [Record] measured and wrote.
type Recording struct {
	// Rounds is the number of times Round ran under the CPU profiler.
	Rounds int
	// Wall is the wall time of those rounds together.
	Wall time.Duration
	// ChildCPU is the CPU time used by child processes that exited during
	// the CPU pass (a process pool's workers): their samples are not in the
	// CPU profile, which covers this process only. Zero where the platform
	// cannot tell (it is read with getrusage on Unix).
	ChildCPU time.Duration
	// OtherCores is the average number of cores that other processes of
	// the machine kept busy during the CPU pass (see [Run.OtherCores]); nil
	// where the platform cannot tell.
	OtherCores *float64
	// ExtraRounds is the number of rounds of the second pass: as many as
	// the CPU pass when the mutex or block profile was asked for, one for
	// the goroutine profile alone, 0 without a second pass.
	ExtraRounds int
	// PeakGoroutines is the largest number of goroutines seen during the
	// first round of the second pass, for a Job with Goroutine; 0 otherwise.
	PeakGoroutines int
	// Files are the names, inside the recording's directory, of the
	// profiles written.
	Files Files
}

// Files names the profiles of one recording, relative to its directory.
// Empty names were not recorded.
type Files struct {
	CPU       string `json:"cpu"`
	Flame     string `json:"flame,omitempty"`
	Mutex     string `json:"mutex,omitempty"`
	Block     string `json:"block,omitempty"`
	Goroutine string `json:"goroutine,omitempty"`
}

// recordMu serialises recordings: a process has one CPU profiler, and
// GOMAXPROCS and the contention rates are process-wide.
var recordMu sync.Mutex

// Record runs job at GOMAXPROCS job.Procs and writes its profiles to dir:
// cpu-N.pb.gz, where N is job.Procs, and mutex-N.pb.gz, block-N.pb.gz and
// goroutine-N.pb.gz as job.Extra asks.
//
// The CPU profile and the wall time come from a first pass with no other
// profiler on, so that the others' bookkeeping (a clock read at every
// blocking event, a stopped world for each goroutine profile) shows neither
// in the CPU samples nor in the wall time; the profile is stamped with the
// wall time of its rounds, so that its duration is the work's and not the
// profiler's. The other profiles come from a second pass of the same
// number of rounds (one round for the goroutine profile alone). The mutex and block profiles hold only that pass's
// contention: the runtime's profiles are cumulative, so Record takes one
// before and one after and keeps the difference.
//
// Record restores GOMAXPROCS and the contention rates before it returns.
// Recordings in one process run one at a time; Record fails at once if
// another CPU profile is active (as under go test -cpuprofile). If ctx is
// cancelled or a round fails, Record stops, writes nothing more and returns
// the error.
func Record(ctx context.Context, dir string, job Job) (Recording, error) {
	if job.Procs < 1 {
		return Recording{}, fmt.Errorf("record: GOMAXPROCS %d: must be at least 1", job.Procs)
	}
	if job.Round == nil {
		return Recording{}, errors.New("record: no Round to run")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Recording{}, err
	}
	recordMu.Lock()
	defer recordMu.Unlock()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(job.Procs))

	var rec Recording
	var cpu bytes.Buffer
	if err := pprof.StartCPUProfile(&cpu); err != nil {
		return Recording{}, fmt.Errorf("start the CPU profile: %w", err)
	}
	children := childrenCPU()
	meter := verdict.Start()
	start := time.Now()
	err := func() error {
		defer pprof.StopCPUProfile() // even if a round panics
		for rec.Rounds == 0 || time.Since(start) < job.MinWall {
			if err := ctx.Err(); err != nil {
				return err
			}
			rec.Rounds++
			if err := job.Round(ctx); err != nil {
				return err
			}
		}
		rec.Wall = time.Since(start)
		rec.ChildCPU = childrenCPU() - children
		if l := meter.Stop(); l.Known {
			other := l.Cores()
			rec.OtherCores = &other
		}
		return nil
	}()
	if err != nil {
		return Recording{}, err
	}
	// The profile's own clock runs until its reader has drained the last
	// samples, a little after the work; stamp it with the work's.
	p, err := profile.Parse(&cpu)
	if err != nil {
		return Recording{}, fmt.Errorf("parse the CPU profile: %w", err)
	}
	p.TimeNanos = start.UnixNano()
	p.DurationNanos = rec.Wall.Nanoseconds()
	n := job.Procs
	p.Comments = append(p.Comments, fmt.Sprintf("conclab: %d rounds at GOMAXPROCS=%d in %v", rec.Rounds, n, rec.Wall))
	rec.Files.CPU = fmt.Sprintf("cpu-%d.pb.gz", n)
	if err := pprofkit.WriteFile(filepath.Join(dir, rec.Files.CPU), p.Write); err != nil {
		return Recording{}, err
	}
	if job.Extra == 0 {
		return rec, nil
	}
	if err := recordExtra(ctx, dir, job, &rec); err != nil {
		return Recording{}, err
	}
	return rec, nil
}

// recordExtra runs Record's second pass.
func recordExtra(ctx context.Context, dir string, job Job, rec *Recording) error {
	var mutexBefore, blockBefore *profile.Profile
	var err error
	if job.Extra&Mutex != 0 {
		defer runtime.SetMutexProfileFraction(runtime.SetMutexProfileFraction(MutexFraction))
		if mutexBefore, err = snapshot("mutex"); err != nil {
			return err
		}
	}
	if job.Extra&Block != 0 {
		runtime.SetBlockProfileRate(BlockRate)
		defer runtime.SetBlockProfileRate(0)
		if blockBefore, err = snapshot("block"); err != nil {
			return err
		}
	}
	rounds := 1
	if job.Extra&(Mutex|Block) != 0 {
		rounds = rec.Rounds
	}
	var peak []byte
	start := time.Now()
	for rec.ExtraRounds < rounds {
		if err := ctx.Err(); err != nil {
			return err
		}
		if rec.ExtraRounds == 0 && job.Extra&Goroutine != 0 {
			rec.PeakGoroutines, peak, err = watchPeak(ctx, job.Round)
		} else {
			err = job.Round(ctx)
		}
		rec.ExtraRounds++
		if err != nil {
			return err
		}
	}
	wall := time.Since(start)

	n := job.Procs
	for _, d := range []struct {
		name   string
		before *profile.Profile
		file   *string
	}{
		{"mutex", mutexBefore, &rec.Files.Mutex},
		{"block", blockBefore, &rec.Files.Block},
	} {
		if d.before == nil {
			continue
		}
		after, err := snapshot(d.name)
		if err != nil {
			return err
		}
		p, err := diff(after, d.before, start, wall)
		if err != nil {
			return fmt.Errorf("%s profile: %w", d.name, err)
		}
		*d.file = fmt.Sprintf("%s-%d.pb.gz", d.name, n)
		if err := pprofkit.WriteFile(filepath.Join(dir, *d.file), p.Write); err != nil {
			return err
		}
	}
	if peak != nil {
		rec.Files.Goroutine = fmt.Sprintf("goroutine-%d.pb.gz", n)
		if err := pprofkit.WriteBytes(filepath.Join(dir, rec.Files.Goroutine), peak); err != nil {
			return err
		}
	}
	return nil
}

// snapshot returns the runtime's named profile as it stands.
func snapshot(name string) (*profile.Profile, error) {
	var buf bytes.Buffer
	if err := pprof.Lookup(name).WriteTo(&buf, 0); err != nil {
		return nil, fmt.Errorf("read the %s profile: %w", name, err)
	}
	p, err := profile.Parse(&buf)
	if err != nil {
		return nil, fmt.Errorf("parse the %s profile: %w", name, err)
	}
	return p, nil
}

// diff returns after − before, the events recorded between the two
// snapshots, stamped with the recording's start and duration.
func diff(after, before *profile.Profile, start time.Time, wall time.Duration) (*profile.Profile, error) {
	before.Scale(-1)
	p, err := profile.Merge([]*profile.Profile{after, before})
	if err != nil {
		return nil, err
	}
	p.TimeNanos = start.UnixNano()
	p.DurationNanos = wall.Nanoseconds()
	return p, nil
}

// peakPoll is how often watchPeak counts goroutines.
const peakPoll = time.Millisecond

// watchPeak runs round while a watcher counts the goroutines every
// peakPoll and takes a goroutine profile each time the count reaches a new
// high. It returns the highest count and the profile taken then.
func watchPeak(ctx context.Context, round func(context.Context) error) (peak int, prof []byte, err error) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(peakPoll)
		defer t.Stop()
		var buf bytes.Buffer
		for {
			if g := runtime.NumGoroutine(); g > peak {
				buf.Reset()
				if pprof.Lookup("goroutine").WriteTo(&buf, 0) == nil {
					peak, prof = g, bytes.Clone(buf.Bytes())
				}
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	err = round(ctx)
	close(done)
	wg.Wait()
	return peak, prof, err
}
