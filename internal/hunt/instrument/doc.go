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
// probability. The runtime reads its settings from CONCLAB_HUNT_* variables
// in the child's environment; without them the binary behaves like the plain
// one.
package instrument
