// Package gotool runs the go command, and the programs it builds, for
// every verb of conclab that runs a user's code (hunt, scale, the
// benchmark gate, mutate): those verbs decide what to run and what its
// output means; this package runs it.
//
//   - [List] is `go list -json`, into one [Package] type;
//   - [Env] is `go env NAME`;
//   - [BuildTest] is `go test -c` with the flags a verb needs (-race,
//     -overlay, -modfile, -trimpath, -vet=off); a failure is a [BuildError]
//     that keeps the compiler's lines;
//   - [Command] prepares any child: the environment, a process group of
//     its own (on unix) that cancelling its context kills whole, a wait
//     delay; [Output] runs one and captures what it printed, and [Kill]
//     and [Quit] stop one;
//   - [AddWorktree] checks a commit out in a temporary git worktree;
//   - [ParseBench] reads the standard benchmark format with
//     golang.org/x/perf/benchfmt, and [BenchPattern] is the -test.bench
//     pattern that selects exactly one benchmark.
//
// Every child a function of this package starts has exited when the
// function returns; a cancelled context kills the child and everything it
// started, and the function returns the context's error.
package gotool
