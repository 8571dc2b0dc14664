package hunt

import (
	"fmt"
	"strings"

	"github.com/conclab/conclab/internal/hunt/instrument/rt"
)

// A Kind names a detector and the findings it makes: the "kind" of a
// finding in JSON, corpus.json and the text report.
type Kind string

// The detectors' kinds. The injected runtime raises three of them, under the
// names package rt gives them; hunt reads the others from a run's output.
const (
	KindRace      Kind = "race"
	KindLeak      Kind = rt.KindLeak
	KindDeadlock  Kind = rt.KindDeadlock
	KindLockOrder Kind = rt.KindLockOrder
	KindPanic     Kind = "panic"
	KindFailure   Kind = "failure"
)

// A Detector is one row of hunt's table: what a kind of finding means and
// what hunt does once it has one.
type Detector struct {
	Kind Kind
	Doc  string // one line: what it reports, for -h and docs/detectors.md
	// EndsHunt: after such a finding the program cannot go on (it hung,
	// or exited), so the test is hunted no further. A finding that does not
	// end the hunt is often what a race or a hang under another schedule
	// leaves behind: the test's remaining runs look for the other kinds.
	EndsHunt bool
	// Off is the environment setting ("NAME=value") that turns the detector
	// off in the test's runs after its first finding, sparing them its cost;
	// "" keeps it on (its later findings are dropped).
	Off string
	// Rule is what code scanning shows of the kind (the SARIF log's rule).
	Rule Rule
}

// A Rule is a detector's SARIF rule: its name, a one-line description,
// and the help shown beside each alert.
type Rule struct{ Name, Short, Help string }

// Detectors is hunt's table of detectors, in priority order: when one run
// shows several kinds at once (a race also fails the test, a double Lock
// also hangs it, a panic also fails it), the one listed first is the
// finding.
var Detectors = []Detector{
	{
		Kind: KindRace, Doc: "a WARNING: DATA RACE report, both stacks",
		Rule: Rule{"DataRace", "Data race: two goroutines touched the same memory, one writing, with no happens-before edge.",
			"The race detector saw two accesses to the same memory from two goroutines, at least one a write, with nothing ordering them. " +
				"The first frame of each access in your code is where a lock, an atomic or a channel is missing; " +
				"the related locations are the other access and where each goroutine was created."},
	},
	{
		Kind: KindLockOrder, Doc: "an AB-BA lock order, a double Lock, an RLock twice while a writer waits", EndsHunt: true,
		Rule: Rule{"LockOrder", "Lock order: two locks taken in opposite orders, a double Lock, or a recursive RLock.",
			"Two goroutines took the same locks in opposite orders (AB-BA), a goroutine locked a mutex it already held, or took a read lock twice while a writer waited. " +
				"Each can deadlock under another schedule even when this run did not: take locks in one order, and never re-enter one."},
	},
	{
		Kind: KindDeadlock, Doc: "no progress for -stall (the goroutines blocked, and on what)", EndsHunt: true,
		Rule: Rule{"Deadlock", "Deadlock: no goroutine made progress for the stall deadline.",
			"Under some schedule the test's goroutines stopped making progress: each waits on a channel, a lock, a WaitGroup or a Cond that only another waiting goroutine could release. " +
				"The related locations say what each goroutine waits on and, for a lock, where its holder took it."},
	},
	{
		Kind: KindPanic, Doc: "a panic or fatal error (send on closed channel, concurrent map writes)", EndsHunt: true,
		Rule: Rule{"Panic", "Panic: the test panicked or died with a fatal error under some schedule.",
			"The test panicked (a send on a closed channel, a nil map, a close of a closed channel) or the runtime stopped it with a fatal error (concurrent map writes) under some schedule."},
	},
	{
		Kind: KindLeak, Doc: "a goroutine the test started still alive after it ended", Off: rt.EnvLeaks + "=off",
		Rule: Rule{"GoroutineLeak", "Goroutine leak: a goroutine the test started was still alive after it ended.",
			"A goroutine the test started was still running, or blocked, after the test returned. " +
				"The top frame is where it waits (usually a send or receive nobody will complete): give it an owner that waits for it and a context that stops it."},
	},
	{
		Kind: KindFailure, Doc: "the test failed under some schedule",
		Rule: Rule{"ScheduleDependentFailure", "Failure: the test failed under some schedule.",
			"The test failed under one of the schedules hunt tried: its result depends on the order goroutines run in. The message has the test's own failure lines."},
	},
}

// detector returns the row of kind; an unknown kind (a runtime newer than
// this table) ranks last and does not end the hunt.
func detector(kind Kind) (Detector, int) {
	for i, d := range Detectors {
		if d.Kind == kind {
			return d, i
		}
	}
	return Detector{Kind: kind}, len(Detectors)
}

// priority orders the kinds one run may show at once.
func priority(kind Kind) int {
	_, i := detector(kind)
	return i
}

// DetectorHelp returns the table as the -h text lists it: one line per
// detector, "kind  doc", indented by a tab.
func DetectorHelp() string {
	width := 0
	for _, d := range Detectors {
		width = max(width, len(d.Kind))
	}
	var b strings.Builder
	for _, d := range Detectors {
		fmt.Fprintf(&b, "\t%-*s  %s\n", width, d.Kind, d.Doc)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// KindList names the detectors for which keep returns true, in the table's
// order, as prose: "deadlock, lock-order or panic".
func KindList(keep func(Detector) bool) string {
	var names []string
	for _, d := range Detectors {
		if keep(d) {
			names = append(names, string(d.Kind))
		}
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
