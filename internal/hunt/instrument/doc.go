// Package instrument prepares the hunted build of `conclab hunt`: it rewrites
// copies of the packages under test (never the user's files) and adds a small
// runtime, so that a test binary built with
//
//	go test -c -race -vet=off -overlay=... [-modfile=...]
//
// checks every top-level test for leaked goroutines, stops with a classified
// goroutine dump when the program stalls, replaces sync.Mutex and
// sync.RWMutex by locks that report lock-order cycles and double locking,
// and perturbs the schedule at concurrency operations with a seeded
// probability.
//
// # Rewriting
//
// Insertions are spliced into the original text on the line of the
// statement they precede, so every line keeps its number and every stack,
// race report and finding names the user's file and line (the go command
// maps an overlay's copy back to the original name). The runtime is a
// package, conclabhuntrt, added through the overlay to the hunted package's
// own module: the user's go.mod is not touched. Its sources are package rt
// (the rt directory), embedded here. The go command refuses to
// overlay files of the module cache, so a dependency is hunted from a copy
// of its module that a -modfile replaces it by.
//
// # Environment of the hunted binary
//
// With none of these set every hook does nothing and the binary behaves like
// the plain one. The runtime unsets them at start, so processes a test
// starts run plainly.
//
//	CONCLAB_HUNT_SEED    seed; iteration i of -test.count uses seed+i
//	CONCLAB_HUNT_YIELD   probability of a yield at a concurrency operation (0)
//	CONCLAB_HUNT_STALL   watchdog deadline (no watchdog when unset)
//	CONCLAB_HUNT_GRACE   how long a test's goroutines may outlive it (1s)
//	CONCLAB_HUNT_REPORT  file the findings are appended to as JSON lines
//	CONCLAB_HUNT_LOCKS   "off" keeps the locks untracked
//	CONCLAB_HUNT_LEAKS   "off" checks no test for leaked goroutines
//
// After a deadlock, or a goroutine waiting for a lock it holds itself, the
// binary exits with status 3.
//
// # What the detectors cannot see
//
// Leaks: goroutines that end within the grace period, goroutines started
// only by the standard library (an idle HTTP keep-alive connection), and a
// test whose own goroutine never returns (the watchdog's case); a lazily
// started package-level worker is reported as the leak of the first test
// that starts it. Deadlocks: a program where any goroutine runs, sleeps,
// waits for I/O or a system call is never stalled, nor one waiting on a
// timer it started of up to ten stall deadlines; a goroutine waiting longer
// than the deadline on a timer started outside the rewritten packages looks
// stalled. Lock order: only the rewritten packages' locks are tracked (not
// their dependencies', nor sync.Once's or channels used as locks); cycles
// through locks that a common lock always guards, and cycles of read locks
// alone, are not reported. Perturbation: a yield is placed before a
// statement, so an operation in an else-if condition, a for post statement
// or a deferred call gets none.
package instrument
