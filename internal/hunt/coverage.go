package hunt

import (
	"bufio"
	"encoding/json"
	"math/bits"
	"os"
	"strings"
)

// A runCover is what the injected runtime saw one run of a test reach
// (instrument/rt/cover.go): the concurrency operations of the instrumented
// code, the goroutines the run started (its subtests' taken off; -1 when
// the toolchain does not count them) and the pairs of operations reached one
// right after the other, as bits of a fixed-size map.
type runCover struct {
	iter       int
	ops        uint64
	goroutines int64
	pairs      []uint32
}

// concurrent reports whether the run could have interleaved: it started a
// goroutine or reached a concurrency operation (a goroutine started before
// the test, in init, may be on the other end), or the runtime could not
// count its goroutines.
func (c runCover) concurrent() bool { return c.ops > 0 || c.goroutines != 0 }

// readCoverage reads the coverage lines of test from the report file,
// taking each iteration's subtests (one goroutine each, started by package
// testing) off its goroutines.
func readCoverage(path, test, out string) []runCover {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var covers []runCover
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, maxOutput)
	for sc.Scan() {
		var l struct {
			Coverage *struct {
				Test       string   `json:"test"`
				Iteration  int      `json:"iteration"`
				Ops        uint64   `json:"ops"`
				Goroutines int64    `json:"goroutines"`
				Pairs      []uint32 `json:"pairs"`
			} `json:"coverage"`
		}
		if json.Unmarshal(sc.Bytes(), &l) != nil || l.Coverage == nil || l.Coverage.Test != test {
			continue
		}
		c := l.Coverage
		covers = append(covers, runCover{iter: c.Iteration, ops: c.Ops, goroutines: c.Goroutines, pairs: c.Pairs})
	}
	pos := runPositions(out, test)
	for i := range covers {
		c := &covers[i]
		if c.goroutines <= 0 || c.iter >= len(pos) {
			continue
		}
		end := len(out)
		if c.iter+1 < len(pos) {
			end = pos[c.iter+1]
		}
		c.goroutines = max(c.goroutines-int64(strings.Count(out[pos[c.iter]:end], "=== RUN   "+test+"/")), 0)
	}
	return covers
}

// A coverState sums up the coverage of a test's runs.
type coverState struct {
	runs    int  // runs that reported their coverage
	unknown int  // runs that ended without a report (no hook, no instrumentation)
	started bool // some run started a goroutine, or could not count them
	ops     bool // some run reached a concurrency operation
	renewed bool // some run after the first reached a pair the first did not
	pairs   map[uint32]bool
	novel   uint8 // bit i: the i-th latest reported run reached a pair no earlier one had
}

// add notes one run's coverage.
func (s *coverState) add(c runCover) {
	s.runs++
	s.started = s.started || c.goroutines != 0
	s.ops = s.ops || c.ops > 0
	if s.pairs == nil {
		s.pairs = map[uint32]bool{}
	}
	novel := false
	for _, p := range c.pairs {
		if !s.pairs[p] {
			s.pairs[p], novel = true, true
		}
	}
	s.novel <<= 1
	if novel {
		s.novel |= 1
		s.renewed = s.renewed || s.runs > 1
	}
}

// reported is the number of runs whose outcome the coverage accounts for.
func (s *coverState) reported() int { return s.runs + s.unknown }

// sequential reports whether another run would do the same again: every run
// so far reported, none started a goroutine, and either none reached a
// concurrency operation or a second run reached exactly the pairs of the
// first (a test that locks a mutex alone on its goroutine; measured on
// conclab's internal/verdict, three such tests reached the same pairs in
// each of 1200 to 1400 runs).
func (s *coverState) sequential() bool {
	if s.runs == 0 || s.unknown > 0 || s.started {
		return false
	}
	return !s.ops || s.runs >= 2 && !s.renewed
}

// undecided reports whether the runs so far cannot tell yet whether the
// test is sequential: one run more than needed would be wasted on it, so it
// gets one run at a time until they can.
func (s *coverState) undecided() bool {
	return s.reported() == 0 || s.unknown == 0 && !s.started && s.ops && s.runs < 2
}

// novelty is the share of the latest (up to eight) reported runs that
// reached a pair of operations no earlier run had.
func (s *coverState) novelty() float64 {
	n := min(s.runs, 8)
	if n == 0 {
		return 1
	}
	return float64(bits.OnesCount8(s.novel)) / float64(n)
}
