// Package profiling records, reads and reports conclab's pprof profiles: it
// is the engine behind `conclab profile` and `conclab report`.
//
// It answers one question from measurements rather than opinion: how does
// each pattern of the catalogue use the cores? For every scenario and every
// GOMAXPROCS n it records a CPU profile of a fixed amount of the scenario's
// work (plus mutex and block profiles for Sync scenarios and a goroutine
// profile at the peak for IO scenarios), reads the profiles back with
// github.com/google/pprof/profile and derives:
//
//   - effective parallelism: sampled CPU seconds ÷ wall seconds. About n for
//     CPU-bound work that scales, about 0 for work that waits;
//   - speed-up against the serial baseline and against n = 1, and the
//     efficiency (speed-up ÷ n);
//   - the top functions by flat CPU, and the seconds spent waiting on
//     mutexes and blocked on channels or conditions.
//
// The pieces are usable alone: [Record] runs a function under the profilers,
// [AnalyzeCPU] and [AnalyzeWait] read a [profile.Profile], [WriteFlameGraph]
// renders one as an SVG flame graph (interactive where a browser runs its
// inline script), [WriteDiffFlameGraph] and [DiffFrames] show what changed
// between two, and [Report] rebuilds the report
// from directories of recordings. [ProfileAll] ties them together for
// `conclab profile`.
//
// # How a recording is made
//
// One recording runs the scenario's Run again and again ("rounds") at
// GOMAXPROCS n until at least [DefaultMinWall] × -work has passed, so that
// even a short round leaves enough samples (the profiler samples each busy
// thread 100 times a second); every figure is then per round. The CPU
// profile and the wall time come from that pass alone. The mutex and block
// profiles (and the goroutine profile) come from a second pass of the same
// rounds, so that their bookkeeping stays out of the CPU samples and the
// wall time. The serial baseline is timed, not profiled, at GOMAXPROCS 1.
// A process pool's workers are other processes whose CPU no profile of
// this one can hold: the recorder adds the CPU getrusage reports for the
// children that exited during the recording, and the report shows it
// apart ("0.02+1.85 children").
//
// # Layout on disk
//
// A recording of scenario S at GOMAXPROCS n lives in DIR/S/:
//
//	cpu-n.pb.gz        the CPU profile (open with `go tool pprof -http=:0 cpu-n.pb.gz`)
//	cpu-n.svg          its flame graph
//	mutex-n.pb.gz      Sync scenarios: the mutex profile of this run only
//	block-n.pb.gz      Sync scenarios: the block profile of this run only
//	goroutine-n.pb.gz  IO scenarios: the goroutines at the run's peak
//	run-n.json         the metadata the report needs (see [Run])
//
// run-n.json is written last, so a recording without it is incomplete and
// is ignored. The report (report.md, report.html and one speedup-S.svg chart
// per scenario) is written at the top of the output directory. Every file is
// written to a temporary file and renamed into place, so an interrupted run
// never leaves a file that looks complete.
//
// # Merging machines
//
// Each run-n.json carries the facts of the machine it was recorded on, so
// [Report] can merge recordings from several machines: give it several
// directories, or one directory with a sub-directory per machine
// (profiles/laptop/S/run-n.json, profiles/ci-64/S/run-n.json). Every
// directory holding scenario directories is one "run set"; speed-ups are
// computed within a run set, and each set is one series of the chart.
package profiling

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
)

// Machine is the set of facts about the computer a recording was made on
// that the report prints.
type Machine struct {
	// CPU is the processor's model name, or GOARCH where it is unknown.
	CPU string `json:"cpu"`
	// Cores is runtime.NumCPU(): the logical CPUs the process could use.
	Cores int `json:"cores"`
	// Go is the version of the Go toolchain that built the recorder.
	Go string `json:"go"`
	// OS and Arch are GOOS and GOARCH.
	OS   string `json:"os"`
	Arch string `json:"arch"`
}

// ThisMachine returns the facts of the machine the program runs on.
func ThisMachine() Machine {
	return Machine{
		CPU:   cpuModel(),
		Cores: runtime.NumCPU(),
		Go:    runtime.Version(),
		OS:    runtime.GOOS,
		Arch:  runtime.GOARCH,
	}
}

// Label is a short name for the machine: "2 × Intel(R) Xeon(R) ...".
func (m Machine) Label() string {
	return fmt.Sprintf("%d × %s", m.Cores, m.CPU)
}

// loadAverage returns the one-minute load average from /proc/loadavg, or 0
// where there is none: how many threads wanted a core, on average, just
// before a recording.
func loadAverage() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return 0
	}
	return v
}

// cpuModel reads the model name from /proc/cpuinfo on Linux.
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == "model name" {
			if v = strings.TrimSpace(v); v != "" {
				return v
			}
		}
	}
	return runtime.GOARCH
}

// WriteFile writes path atomically: write fills a temporary file in the
// same directory, which is renamed to path only if write and Close
// succeed, so an interrupted writer never leaves a file that looks
// complete.
func WriteFile(path string, write func(w io.Writer) error) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(tmp)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// writeBytes writes b to path atomically.
func writeBytes(path string, b []byte) error {
	return WriteFile(path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

// CheckWritable returns an error if files cannot be created in dir, which
// it creates if needed. It leaves nothing behind in an existing directory.
// The error reads "cannot write to DIR: REASON".
func CheckWritable(dir string) error {
	fail := func(err error) error {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("cannot write to %s: %w", dir, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fail(err)
	}
	f, err := os.CreateTemp(dir, ".conclab-write-test-*")
	if err != nil {
		return fail(err)
	}
	f.Close()
	return os.Remove(f.Name())
}
