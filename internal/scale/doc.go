// Package scale measures how a Go package's own benchmarks scale across
// cores and says why they stop: it is the engine behind `conclab scale`,
// which runs from inside any Go module.
//
// For the packages given it builds each test binary once (go test -c, into
// a temporary directory: the user's tree is never written), lists the leaf
// benchmarks that match -bench, and runs each (benchmark, GOMAXPROCS n) in
// its own child process with the CPU, mutex and block profiles on. It
// parses what the children print with golang.org/x/perf/benchfmt and reads
// their profiles with internal/pprofkit, the code `conclab profile` uses,
// to derive per benchmark and n:
//
//   - ns/op, speed-up and efficiency against n = 1;
//   - effective parallelism (CPU seconds sampled ÷ wall seconds);
//   - the shares of CPU in the garbage collector, the scheduler and lock
//     handling, and mutex and block wait per op with the top call site;
//   - an account of the lost throughput ([Account]): cores idle, by what
//     the goroutines waited on, and CPU per op that grew, by where it went;
//   - a verdict a person can act on ([Verdict]): the account's largest
//     part, with its share of the loss (docs/scale-calibration.md shows it
//     on a generated corpus).
//
// Through each benchmark's throughput it fits the Universal Scalability
// Law ([FitUSL]) and predicts the peak. With -base it measures the same
// benchmarks at a git ref, checked out in a temporary worktree, and
// compares them with benchstat's statistics.
//
// A run is stored as DIR/scale.json beside the profiles ([Results]); the
// report (report.md, report.html, a speed-up chart per benchmark, a flame
// graph per point) is rendered from such files alone ([NewReport]), so runs
// from several machines merge into one chart.
package scale
