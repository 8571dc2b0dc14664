// Package correctness is where conclab earns trust: its tests prove every
// scenario of the catalogue correct, and prove that each detector conclab
// relies on would have caught the bug it is there for.
//
// The package has no API; it is its tests. They iterate the registry
// ([scenarios.All] and the broken variants behind [scenarios.LookupVariant]),
// so a new scenario is checked the day it is registered:
//
//   - invariants: every scenario is run and checked under -race across a
//     table of worker and item counts, and with its context cancelled before
//     it starts and midway;
//   - linearizability: concurrent histories of the counters and of the
//     condition queue are checked with github.com/anishathalye/porcupine,
//     and a recorded lost update proves the checker rejects a wrong one;
//   - the race detector: tiny racy programs under testdata/, and every
//     broken variant whose fault is a race, are built with -race and run in
//     a child process, which must report "WARNING: DATA RACE" and exit 66,
//     while the same programs with the lock must not;
//   - leaks: goleak.VerifyTestMain guards the package, and goleak.Find must
//     name the goroutine a leaky variant leaves behind;
//   - deadlocks: a deadlocking variant run in a testing/synctest bubble, in a
//     re-executed test binary, must be reported as a deadlock, not hang;
//   - time: in synctest bubbles, the IO scenarios finish in exactly the
//     virtual time they claim, and their serial baselines in N×L.
//
// docs/detectors.md maps each detector to the negative control that proves
// it fires and to what it cannot see. Run the suite with
//
//	go test -race ./correctness/
package correctness
