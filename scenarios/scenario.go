// Package scenarios is conclab's catalogue: every concurrency pattern of the
// article "Concurrency in Python" rebuilt as idiomatic Go, one file per
// pattern, each registered once so that the tests, the benchmarks, the
// profiler and the report all iterate the same list.
//
// A [Scenario] is data plus two functions: Run does the work under a
// [Config], and Check states the invariant that makes the result correct
// (an exact count, the input order, a bound on concurrency). Scenarios whose
// speed-up means something also carry a Serial baseline: the same work with
// no concurrency, the program one would have written without it, and the
// reference every speed-up in conclab is measured against.
//
// Deliberately wrong versions (racy, leaky, deadlocking) hang off their
// scenario as [Variant] values. They are never returned by [All] and exist
// only so that the correctness suite can prove that each detector fires.
//
// Use [All] to iterate the catalogue and [Lookup] to find one scenario:
//
//	s, err := scenarios.Lookup("counter-mutex")
//	cfg := s.Defaults
//	res, err := s.Run(ctx, cfg)
//	err = s.Check(cfg, res)
package scenarios

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Kind says what a scenario spends its time on, which decides how it is
// benchmarked and profiled.
type Kind int

const (
	// CPU scenarios compute; they should scale with GOMAXPROCS.
	CPU Kind = iota + 1
	// IO scenarios wait; their wall time should not grow with the number of
	// concurrent waits, and they use almost no CPU.
	IO
	// Sync scenarios coordinate goroutines through a lock, a semaphore or a
	// condition; their cost is contention, read from mutex and block profiles.
	Sync
)

// String returns "CPU", "IO" or "Sync".
func (k Kind) String() string {
	switch k {
	case CPU:
		return "CPU"
	case IO:
		return "IO"
	case Sync:
		return "Sync"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Section is the part of the article a scenario mirrors. Sections are
// ordered as the article presents them, and [All] lists scenarios in that
// order.
type Section int

// The article's sections, in the order it presents them.
const (
	Threading Section = iota + 1
	AsyncIO
	Multiprocessing
	ProcessPerCore
	Lock
	Semaphore
	Condition
	Executor
	ProcessPool
	Queues
	Mistakes
)

var sectionNames = map[Section]string{
	Threading:       "Threading for I/O",
	AsyncIO:         "AsyncIO gather",
	Multiprocessing: "multiprocessing Pool.map",
	ProcessPerCore:  "one Process per core",
	Lock:            "Lock",
	Semaphore:       "Semaphore",
	Condition:       "Condition",
	Executor:        "ThreadPoolExecutor",
	ProcessPool:     "ProcessPoolExecutor / subprocess",
	Queues:          "locks, queues (best practices)",
	Mistakes:        "common mistakes",
}

// String returns the section's heading as conclab prints it.
func (s Section) String() string {
	if n, ok := sectionNames[s]; ok {
		return n
	}
	return fmt.Sprintf("Section(%d)", int(s))
}

// RunFunc does a scenario's work under cfg. It returns early with ctx.Err()
// (possibly wrapped) when ctx is cancelled, and leaves no goroutine running
// when it returns, whatever the outcome.
type RunFunc func(ctx context.Context, cfg Config) (Result, error)

// Result is what one run of a scenario produced. Fields a scenario does not
// use stay zero.
type Result struct {
	// Items is the number of units of work completed.
	Items int
	// Total is the scenario's headline number: the counter's final value, a
	// checksum of the work, the number of items consumed.
	Total int64
	// MaxConcurrent is the peak number of goroutines (or processes) seen
	// holding the resource at once, for scenarios that bound concurrency.
	MaxConcurrent int
	// Summary is one line for people, printed by `conclab run`.
	Summary string
	// Data is the scenario's own payload for Check and for tests, such as the
	// ordered results of a map. Its type is documented by the scenario.
	Data any
}

// Fault names the bug a broken [Variant] carries and so the detector that
// must catch it.
type Fault int

const (
	// Race is a data race: the race detector must report it.
	Race Fault = iota + 1
	// Leak is a goroutine left running: goleak must report it.
	Leak
	// Deadlock is a set of goroutines blocked forever: a testing/synctest
	// bubble must report it.
	Deadlock
	// Invariant is a wrong result: the scenario's Check must reject it.
	Invariant
)

// String returns "race", "leak", "deadlock" or "invariant".
func (f Fault) String() string {
	switch f {
	case Race:
		return "race"
	case Leak:
		return "leak"
	case Deadlock:
		return "deadlock"
	case Invariant:
		return "invariant"
	}
	return fmt.Sprintf("Fault(%d)", int(f))
}

// Variant is a deliberately broken version of a scenario, kept as a negative
// control: a check that cannot fail proves nothing. Running a variant may
// race, leak a goroutine, or block forever, so only the correctness suite
// runs them, each under the detector named by Fault (inside a synctest
// bubble for Deadlock, in a child process for Race).
type Variant struct {
	// Name is the scenario's name with the bug appended: "counter-unlocked".
	Name string
	// Fault is the bug, and so the detector that must catch it.
	Fault Fault
	// Doc says in one sentence what is wrong.
	Doc string
	// Run does the scenario's work the wrong way.
	Run RunFunc
}

// Scenario is one pattern of the article rebuilt in Go.
type Scenario struct {
	// Name is short, kebab-case and stable: it is used in flags and file names.
	Name string
	// Section is the part of the article the scenario mirrors.
	Section Section
	// Python is the snippet of the article the scenario replaces.
	Python string
	// Doc says in one sentence what the Go version does.
	Doc string
	// Kind decides how the scenario is benchmarked and profiled.
	Kind Kind
	// Defaults is a valid configuration sized for a demo a person watches.
	Defaults Config
	// Run does the work concurrently.
	Run RunFunc
	// Serial does the same work with no concurrency, or is nil where a
	// serial version would mean nothing. Check accepts its results too.
	Serial RunFunc
	// Check returns nil if res is a correct result of running cfg, and an
	// error saying what is wrong otherwise.
	Check func(cfg Config, res Result) error
	// Broken lists the deliberately wrong versions of this scenario.
	Broken []Variant

	// The facts below are all a tool needs to know of a scenario: the
	// tests, the benchmarks, the profiler and the report read them here,
	// and keep no list of their own.

	// Claim is the article's sentence the scenario tests and what a
	// recording must show about it; the report judges it.
	Claim Claim
	// Reads is the set of Config fields Run and Serial read; the others
	// are ignored, and `conclab run` refuses their flags. Defaults sets
	// no field outside it.
	Reads Fields
	// Timing, for a scenario that waits, is its exact duration in virtual
	// time. Every IO scenario has one.
	Timing *Timing
	// Processes says that the scenario runs its workers as child
	// processes: the tests run it outside synctest bubbles (a bubble
	// cannot wait for another process) and with few workers.
	Processes bool
	// NewCounter, for a scenario built on a [Counter], makes a fresh one
	// for workers goroutines and returns it with the function that
	// releases it; the correctness suite checks its histories for
	// linearizability. Nil for other scenarios.
	NewCounter func(workers int) (c Counter, release func())
}

var (
	registryMu sync.RWMutex
	registry   = map[string]*Scenario{}
	variants   = map[string]*Variant{}
)

// Register adds s to the catalogue. It is meant to be called from an init
// function in the file that defines the scenario. Register panics if s has
// no name, no Run or no Check, if its defaults are invalid, if its declared
// facts (Claim, Reads, Timing) are missing or contradict each other, or if
// its name or one of its variants' names is taken: these are programming
// errors.
func Register(s Scenario) {
	if s.Name == "" || s.Run == nil || s.Check == nil || s.Kind == 0 || s.Section == 0 {
		panic(fmt.Sprintf("scenarios: Register(%q): Name, Section, Kind, Run and Check are required", s.Name))
	}
	if err := s.Defaults.Validate(); err != nil {
		panic(fmt.Sprintf("scenarios: Register(%q): invalid defaults: %v", s.Name, err))
	}
	if err := s.checkFacts(); err != nil {
		panic(fmt.Sprintf("scenarios: Register(%q): %v", s.Name, err))
	}
	registryMu.Lock()
	defer registryMu.Unlock()
	if _, dup := registry[s.Name]; dup {
		panic(fmt.Sprintf("scenarios: Register(%q): name already registered", s.Name))
	}
	if _, dup := variants[s.Name]; dup {
		panic(fmt.Sprintf("scenarios: Register(%q): name already registered as a variant", s.Name))
	}
	// Every check comes before any change: a refused registration leaves
	// the registry as it was.
	names := map[string]bool{s.Name: true}
	for i, v := range s.Broken {
		if v.Name == "" || v.Run == nil || v.Fault == 0 {
			panic(fmt.Sprintf("scenarios: Register(%q): variant %d needs Name, Fault and Run", s.Name, i))
		}
		_, dupVariant := variants[v.Name]
		_, dupScenario := registry[v.Name]
		if names[v.Name] || dupVariant || dupScenario {
			panic(fmt.Sprintf("scenarios: Register(%q): variant %q takes a name already registered", s.Name, v.Name))
		}
		names[v.Name] = true
	}
	sc := &s
	registry[s.Name] = sc
	for i := range sc.Broken {
		variants[sc.Broken[i].Name] = &sc.Broken[i]
	}
}

// All returns every registered scenario, broken variants excepted, in the
// article's order (by Section, then by Name).
func All() []*Scenario {
	registryMu.RLock()
	defer registryMu.RUnlock()
	all := make([]*Scenario, 0, len(registry))
	for _, s := range registry {
		all = append(all, s)
	}
	slices.SortFunc(all, func(a, b *Scenario) int {
		if a.Section != b.Section {
			return int(a.Section - b.Section)
		}
		return strings.Compare(a.Name, b.Name)
	})
	return all
}

// Names returns the names of [All], in the same order.
func Names() []string {
	all := All()
	names := make([]string, len(all))
	for i, s := range all {
		names[i] = s.Name
	}
	return names
}

// Lookup returns the scenario called name. For an unknown name the error
// suggests the closest registered name.
func Lookup(name string) (*Scenario, error) {
	registryMu.RLock()
	s, ok := registry[name]
	registryMu.RUnlock()
	if ok {
		return s, nil
	}
	return nil, unknown("scenario", name, Names())
}

// LookupVariant returns the broken variant called name and the scenario it
// belongs to.
func LookupVariant(name string) (*Variant, *Scenario, error) {
	registryMu.RLock()
	defer registryMu.RUnlock()
	v, ok := variants[name]
	if !ok {
		names := make([]string, 0, len(variants))
		for n := range variants {
			names = append(names, n)
		}
		slices.Sort(names)
		return nil, nil, unknown("broken variant", name, names)
	}
	for _, s := range registry {
		for i := range s.Broken {
			if &s.Broken[i] == v {
				return v, s, nil
			}
		}
	}
	panic("scenarios: variant without a scenario: " + name)
}

func unknown(what, name string, names []string) error {
	best, bestD := "", -1
	for _, n := range names {
		if d := editDistance(name, n); bestD < 0 || d < bestD {
			best, bestD = n, d
		}
	}
	if best != "" && bestD <= max(2, len(name)/2) {
		return fmt.Errorf("unknown %s %q (did you mean %q?)", what, name, best)
	}
	return fmt.Errorf("unknown %s %q (see `conclab list`)", what, name)
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
