// Package hunt finds the concurrency bugs in a Go package's own tests: it
// builds each package's test binary once under -race (instrumented through
// `go test -overlay` by package instrument, never touching the package's
// files), runs every test alone and repeatedly in child processes under
// seeded schedule perturbation and varying GOMAXPROCS, and reports each
// test's data race, leaked goroutine, deadlock, lock-order cycle, panic or
// failure with the seed that replays it: the first of each kind, until a
// deadlock, a lock-order cycle or a panic ends the test's hunt. Before a
// finding is reported its run is replayed, and a seed that seldom shows it
// replaced by one that does (replay.go).
//
// # Adding a detector
//
// A detector is three things, as a scenario of the catalogue is:
//
//  1. A row of [Detectors] (detectors.go): its Kind, the one-line Doc that
//     `conclab hunt -h` prints, its place in the table (its priority when
//     one run shows several kinds), whether it ends a test's hunt, and the
//     environment setting, if any, that turns it off in the runs after its
//     first finding, and its [Rule]: the name, description and help of its
//     SARIF rule. Add its row to the table in docs/detectors.md, in the
//     same place (TestDetectorsDocumented holds the two together).
//  2. Its hook. A finding the runtime raises inside the hunted binary is a
//     constant in package rt (instrument/rt/kinds.go, untagged, so that
//     this package names it too) reported through rt's report or fatal from
//     a file behind the conclabhunt build tag; one hunt reads from a run's
//     output is an event of parseOutput (parse.go). A goroutine dump is read
//     with rt.ParseGoroutines and rt.Classify, never parsed again.
//  3. A corpus kernel and its twin: testdata/corpus/<name>/bug with the bug
//     in the shape of a real one, <name>/fixed with it fixed and the same
//     test names, and an entry in corpus.json naming the detector.
//     TestCorpus then requires the bug found by it with default flags and
//     the twin clean over the whole budget.
package hunt

import (
	"encoding/json"
	"io"
	"regexp"
	"runtime"
	"time"
)

// Config says what to hunt and how hard.
type Config struct {
	Dir      string         // where the go command runs (the user's module); "" is the current directory
	Patterns []string       // package patterns; none means ./...
	Run      *regexp.Regexp // hunt only the top-level tests it matches; nil means all
	Runs     int            // runs per test; 0 means as many as schedule.go's rule gives each
	Time     time.Duration  // total budget for the runs; 0 means the default budget (schedule.go), or none with Runs
	Parallel int            // child processes at once (default GOMAXPROCS)
	Stall    time.Duration  // watchdog deadline: no progress for this long is a deadlock (default 3s)
	Seed     uint64         // first seed when SeedSet: run r uses Seed+r
	SeedSet  bool
	Replay   bool // with SeedSet: every run uses Seed (replays one finding's run Runs times)
	// NoConfirm skips the replays that confirm each finding's seed before
	// it is reported (see [ConfirmRuns]).
	NoConfirm bool
	CPU       int           // GOMAXPROCS of every run; 0 cycles through 2, 1, NumCPU, 4
	Yield     float64       // yield probability at concurrency operations; 0 means DefaultYield, negative none
	Shard     int           // hunt the tests whose hash is Shard mod Shards
	Shards    int           // 0 or 1: no sharding
	Count     int           // iterations per child process (-test.count); 0 means one
	Plain     bool          // build without instrumentation (-race only)
	Grace     time.Duration // leak grace period; 0 leaves the runtime's default

	goMod string // the main module's go.mod, for packages of the module cache

	// Progress, when not nil, receives one line per built package and a line
	// now and then during long hunts. Found, when not nil, is called once per
	// finding as it is found, from one goroutine at a time, and never after
	// Hunt returns.
	Progress io.Writer
	Found    func(Finding)
}

// A Finding is the first bug of one kind hunt saw in one test.
type Finding struct {
	Type    string `json:"type"` // "finding", set by MarshalJSON
	Kind    Kind   `json:"kind"`
	Package string `json:"package"`
	Test    string `json:"test"`
	Message string `json:"message"`
	// Certainty says how sure the finding is that it shows a defect of the
	// code rather than of the test's hygiene or timing; Why says what it
	// rests on (see [Certainty]).
	Certainty  Certainty `json:"certainty,omitempty"`
	Why        string    `json:"why,omitempty"`
	Seed       uint64    `json:"seed"`
	GOMAXPROCS int       `json:"gomaxprocs"`
	Run        int       `json:"run"`   // 1-based run number of the test
	Yield      float64   `json:"yield"` // the yield probability of that run
	Stacks     []string  `json:"stacks,omitempty"`
	Replay     string    `json:"replay"`
	// ReplaySeed is the seed Replay runs: Seed, or a seed whose replays
	// showed the finding more often (see [ConfirmRuns]). ReplayShown of
	// ReplayOf replays of it showed the finding's kind, OwnShown of Seed's;
	// ReplayOf is 0 when the replay was not confirmed.
	ReplaySeed  uint64  `json:"replay_seed,omitempty"`
	ReplayShown int     `json:"replay_shown,omitempty"`
	ReplayOf    int     `json:"replay_of,omitempty"`
	OwnShown    int     `json:"own_shown,omitempty"`
	Seconds     float64 `json:"seconds"` // from the start of the runs to the finding
}

// A TestResult is what hunt saw of one test.
type TestResult struct {
	Package string   `json:"package"`
	Test    string   `json:"test"`
	Runs    int      `json:"runs"`              // runs completed (up to and including the decisive finding's)
	Finding *Finding `json:"finding,omitempty"` // the first finding
	// Also holds the findings of other kinds that the runs after a race, a
	// leak or a failure found, in the order found: a deadlock, a lock-order
	// finding or a panic ends the test's hunt.
	Also    []*Finding `json:"also,omitempty"`
	Slow    bool       `json:"slow,omitempty"`    // some run outlived the hard timeout without being deadlocked
	NotRun  bool       `json:"not_run,omitempty"` // no run finished: -time ran out or the hunt was interrupted first
	Seconds float64    `json:"seconds"`           // wall time from the start of the runs to the end of the test's last run
}

// A Summary is the outcome of a hunt.
type Summary struct {
	Type     string       `json:"type"` // "summary", set by MarshalJSON
	Tests    []TestResult `json:"tests"`
	Findings int          `json:"findings"`
	Runs     int          `json:"runs"`
	NotRun   int          `json:"not_run"` // tests of which no run finished
	// NotBuilt lists the packages whose test binary -time ran out before
	// building: their tests are not run, and not counted in Tests.
	NotBuilt    []string `json:"not_built,omitempty"`
	Seconds     float64  `json:"seconds"`
	Interrupted bool     `json:"interrupted,omitempty"` // Ctrl-C or -time stopped it before every run was done
}

// MarshalJSON writes f with its "type": "finding", which tells it from the
// summary in a -json stream.
func (f Finding) MarshalJSON() ([]byte, error) {
	type plain Finding
	p := plain(f)
	p.Type = "finding"
	return json.Marshal(p)
}

// MarshalJSON writes s with its "type": "summary".
func (s Summary) MarshalJSON() ([]byte, error) {
	type plain Summary
	p := plain(s)
	p.Type = "summary"
	return json.Marshal(p)
}

// All returns the test's findings in the order found.
func (r TestResult) All() []*Finding {
	if r.Finding == nil {
		return nil
	}
	return append([]*Finding{r.Finding}, r.Also...)
}

// Clean reports whether the hunt found nothing and ran every test.
func (s *Summary) Clean() bool { return s.Findings == 0 && s.NotRun == 0 && len(s.NotBuilt) == 0 }

// DefaultParallel is the number of child processes at once when
// Config.Parallel is zero: GOMAXPROCS.
func DefaultParallel() int { return runtime.GOMAXPROCS(0) }

// DefaultYield is the first probability of a yield at each concurrency
// operation a test's runs go through when Config.Yield is zero.
const DefaultYield = 0.15

// DefaultStall is the watchdog deadline when Config.Stall is zero.
const DefaultStall = 3 * time.Second

func (c *Config) defaults() {
	if c.Runs < 0 {
		c.Runs = 0
	}
	if c.Stall <= 0 {
		c.Stall = DefaultStall
	}
	if c.Parallel <= 0 {
		c.Parallel = DefaultParallel()
	}
	if len(c.Patterns) == 0 {
		c.Patterns = []string{"./..."}
	}
	if c.Shards <= 0 {
		c.Shards = 1
	}
}
