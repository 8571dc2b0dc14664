package scenarios

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Fields is a set of the fields of a [Config], each named as its flag is.
// A scenario declares in [Scenario.Reads] the fields it reads, so that
// `conclab run` can refuse a flag that would change nothing.
type Fields uint8

// The fields of a Config.
const (
	Workers Fields = 1 << iota
	Items
	Latency
	Work
	Limit
	Backend
)

var fieldNames = []string{"workers", "items", "latency", "work", "limit", "backend"}

// Names returns the flag names of the fields in f, in Config's order.
func (f Fields) Names() []string {
	var names []string
	for i, n := range fieldNames {
		if f&(1<<i) != 0 {
			names = append(names, n)
		}
	}
	return names
}

// String lists the fields as flags: "-workers, -items and -work", or "no field".
func (f Fields) String() string {
	names := f.Names()
	for i := range names {
		names[i] = "-" + names[i]
	}
	switch len(names) {
	case 0:
		return "no field"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// FieldsNamed returns the field whose flag is called name, and false if
// there is none.
func FieldsNamed(name string) (Fields, bool) {
	for i, n := range fieldNames {
		if n == name {
			return 1 << i, true
		}
	}
	return 0, false
}

// set returns the fields of c that differ from the zero value.
func (c Config) set() Fields {
	var f Fields
	for _, x := range []struct {
		field Fields
		set   bool
	}{
		{Workers, c.Workers != 0}, {Items, c.Items != 0}, {Latency, c.Latency != 0},
		{Work, c.Work != 0}, {Limit, c.Limit != 0}, {Backend, c.Backend != ""},
	} {
		if x.set {
			f |= x.field
		}
	}
	return f
}

// Test is what a recording of a scenario must show for its [Claim] to hold
// in Go: the rule the report's verdict applies.
type Test int

const (
	// Parallel: at GOMAXPROCS n the work keeps most of min(n, cores)
	// cores busy, the CPU of its child processes included.
	Parallel Test = iota + 1
	// Overlap: the waits overlap, so the run beats its serial baseline
	// clearly, and waiting costs almost no CPU.
	Overlap
	// Idle: waiting costs almost no CPU (for a scenario with no serial
	// baseline to beat).
	Idle
	// Bounded: no more than Limit goroutines ever hold the resource at
	// once (Result.MaxConcurrent ≤ Config.Limit).
	Bounded
	// Contended: goroutines queue for a mutex, one holder at a time; a run
	// in which none waited cannot show it, and cannot refute it either.
	Contended
	// Waited: goroutines block on a condition or a channel until it holds;
	// as with Contended, a run with no wait shows nothing.
	Waited
	// Checked: the result is correct, which every recording checks; the
	// profile has nothing to add.
	Checked
)

// String returns the test's name as the report prints it: "parallel", ...
func (t Test) String() string {
	switch t {
	case Parallel:
		return "parallel"
	case Overlap:
		return "overlap"
	case Idle:
		return "idle"
	case Bounded:
		return "bounded"
	case Contended:
		return "contended"
	case Waited:
		return "waited"
	case Checked:
		return "checked"
	}
	return fmt.Sprintf("Test(%d)", int(t))
}

// Expect is how Go holding a claim relates to the article's sentence.
type Expect int

const (
	// Supports: Go bears the article out (a Lock does serialise).
	Supports Expect = iota + 1
	// Contradicts: the article's reasoning does not carry over to Go (no
	// GIL, so no processes are needed). This is the expected outcome, not
	// a failure.
	Contradicts
)

// String returns "supports" or "contradicts".
func (e Expect) String() string {
	switch e {
	case Supports:
		return "supports"
	case Contradicts:
		return "contradicts"
	}
	return fmt.Sprintf("Expect(%d)", int(e))
}

// Claim is the sentence of the article a scenario tests, and what a
// recording of the scenario must show about it.
type Claim struct {
	// Article quotes the article's sentence.
	Article string
	// Test is what a recording must show for the claim to hold in Go.
	Test Test
	// Expect says whether Go holding the claim supports the article or
	// shows that its reasoning does not carry over to Go.
	Expect Expect
	// Go says in words what the claim holding means for Go: "Go:
	// goroutines use the cores; processes not needed".
	Go string
}

// Timing is a scenario's claim about its duration in virtual time: inside
// a testing/synctest bubble, with the in-memory back-end, a run takes
// exactly the time its waits add up to along the critical path, however
// loaded the machine. correctness/timing_test.go asserts it to the
// nanosecond.
type Timing struct {
	// Run is the exact duration of Run under cfg.
	Run func(cfg Config) time.Duration
	// Serial is the exact duration of Serial under cfg, or nil for no claim.
	Serial func(cfg Config) time.Duration
	// Peak is the exact Result.MaxConcurrent under cfg, or nil for no claim.
	Peak func(cfg Config) int
}

// oneWait is the timing of waits that all overlap: one latency, however
// many items, with every item waiting at the peak.
var oneWait = &Timing{
	Run:    func(cfg Config) time.Duration { return cfg.Latency },
	Serial: waitsInTurn,
	Peak:   func(cfg Config) int { return cfg.Items },
}

// waitsInTurn is the serial baseline's timing: one wait after the other.
func waitsInTurn(cfg Config) time.Duration { return time.Duration(cfg.Items) * cfg.Latency }

// waitsPerPermit is the timing of Items waits on Limit permits: ⌈N/K⌉
// latencies, with exactly min(N, K) holding a permit at the peak.
var waitsPerPermit = &Timing{
	Run: func(cfg Config) time.Duration {
		return time.Duration((cfg.Items+cfg.Limit-1)/cfg.Limit) * cfg.Latency
	},
	Serial: waitsInTurn,
	Peak:   func(cfg Config) int { return min(cfg.Items, cfg.Limit) },
}

// checkFacts returns what is missing or inconsistent in s's declared facts.
func (s *Scenario) checkFacts() error {
	c := s.Claim
	switch {
	case c.Article == "" || c.Go == "" || c.Test < Parallel || c.Test > Checked || (c.Expect != Supports && c.Expect != Contradicts):
		return errors.New("the claim needs an Article, a Go, a Test and an Expect")
	case s.Reads == 0:
		return errors.New("no field in Reads: a scenario reads some field of Config")
	case s.Defaults.set()&^s.Reads != 0:
		return fmt.Errorf("defaults set %v, which the scenario does not read (Reads: %v)", s.Defaults.set()&^s.Reads, s.Reads)
	case s.Kind == IO && s.Timing == nil:
		return errors.New("an IO scenario states its Timing")
	case s.Timing != nil && s.Timing.Run == nil:
		return errors.New("the Timing needs a Run")
	case s.Timing != nil && s.Reads&Latency == 0:
		return errors.New("a Timing claim needs a scenario that reads -latency")
	case s.Claim.Test == Bounded && s.Reads&Limit == 0:
		return errors.New("a Bounded claim needs a scenario that reads -limit")
	case s.Claim.Test == Overlap && s.Serial == nil:
		return errors.New("an Overlap claim needs a Serial baseline to beat")
	}
	return nil
}
