// Package rt is the runtime that `conclab hunt` injects into the test
// binaries it builds, through go test -overlay, as package conclabhuntrt of
// the hunted module: per-test leak checks, a stall watchdog, lock-order
// checking and seeded schedule perturbation. With none of the CONCLAB_HUNT_*
// variables set, every hook does nothing.
//
// The hooks live in the files behind the conclabhunt build tag, so that they
// are compiled only into hunted binaries (package instrument embeds every
// file and drops the tag), while gofmt and `go vet -tags conclabhunt` check
// them like any other Go file. The untagged files, the goroutine-dump parser
// with its classification of wait states and the kinds of finding the hooks
// report, are also this package's API for the driver, internal/hunt: one
// parser and one classification for both.
//
// Every file compiles at the hunted module's language version, as old as
// Go 1.16: the standard library only, no generics, no any, no min or max, no
// range over integers.
package rt
