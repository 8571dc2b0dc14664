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
// [Record] runs a function under the profilers, [ProfileAll] ties the
// recordings together for `conclab profile`, and [Report] rebuilds the
// report from directories of recordings. The analysis, the flame graphs
// and charts, the atomic writes and the report's style are package
// internal/pprofkit's, which knows no scenario: this package is the
// catalogue's recorder and report on top of it.
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
