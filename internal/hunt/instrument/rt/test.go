//go:build conclabhunt

package rt

import (
	"fmt"
	"io"
	"runtime/pprof"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The current test, for findings raised outside any test's own goroutine.
var tests struct {
	mu    sync.Mutex
	name  string
	iter  int
	names []string
	runs  []int
}

// Test is the hook every top-level test of a hunted package calls first. It
// notes the goroutines alive now, starts the watchdog and the count of what
// the run reaches, and registers a cleanup (which runs after the test's
// subtests and parallel tests) that reports the goroutines the test started
// and left running, then what the run reached (cover.go).
func Test(t testing.TB) {
	if !active {
		return
	}
	name := t.Name()
	raceDisable()
	iter := startTest(name)
	raceEnable()
	coverStart()
	startWatchdog()
	before := make(map[int64]bool)
	for _, g := range ParseGoroutines(allStacks()) {
		before[g.ID] = true
	}
	raceDisable()
	atomic.AddInt32(&running, 1)
	raceEnable()
	t.Cleanup(func() {
		if leaks {
			checkLeaks(name, iter, before)
		}
		awaitDecisions(time.Now().Add(grace / 2))
		raceDisable()
		atomic.AddInt32(&running, -1)
		raceEnable()
		coverEnd(name, iter)
	})
}

//go:norace
func startTest(name string) int {
	tests.mu.Lock()
	defer tests.mu.Unlock()
	iter := 0
	found := false
	for i, n := range tests.names {
		if n == name {
			tests.runs[i]++
			iter, found = tests.runs[i], true
		}
	}
	if !found {
		tests.names = append(tests.names, name)
		tests.runs = append(tests.runs, 0)
	}
	tests.name, tests.iter = name, iter
	resetSchedule(baseSeed + uint64(iter))
	return iter
}

//go:norace
func currentTest() (string, int) {
	tests.mu.Lock()
	defer tests.mu.Unlock()
	return tests.name, tests.iter
}

// running counts the hooked tests under way; checking counts the leak checks
// and self-lock waits under way, whose goroutines the watchdog leaves to
// them; deciding counts the self-lock waits alone.
var running, checking, deciding int32

// decisionsPending reports whether a goroutine is deciding whether a lock
// it holds can still be granted to it (waitSelf), which ends the program
// with a finding when it cannot.
func decisionsPending() bool {
	raceDisable()
	defer raceEnable()
	return atomic.LoadInt32(&deciding) > 0
}

// awaitDecisions waits until no self-lock is under decision, or until the
// deadline: a test's end must not let the binary exit while a goroutine the
// test left running is about to report.
func awaitDecisions(deadline time.Time) {
	for decisionsPending() && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
}

// checkLeaks waits up to the grace period, retrying as goleak does, for the
// goroutines started since before to end, and reports those that do not.
func checkLeaks(name string, iter int, before map[int64]bool) {
	raceDisable()
	atomic.AddInt32(&checking, 1)
	raceEnable()
	defer func() {
		raceDisable()
		atomic.AddInt32(&checking, -1)
		raceEnable()
	}()
	deadline := time.Now().Add(grace)
	delay := time.Millisecond
	self := goid()
	for {
		gs := ParseGoroutines(allStacks())
		byID := make(map[int64]*Goroutine, len(gs))
		for i := range gs {
			byID[gs[i].ID] = &gs[i]
		}
		var leaked []Goroutine
		for i := range gs {
			g := &gs[i]
			if !before[g.ID] && g.ID != self && isUser(g) && !waitsInTesting(g) && !otherTest(g, name, byID) {
				leaked = append(leaked, *g)
			}
		}
		// A goroutine deciding about a lock it holds is not a leak (its
		// finding is a lock-order one), but the check waits for its
		// decision: a goroutine at work after its test returned may reach
		// its second Lock only now.
		pending := decisionsPending()
		if len(leaked) == 0 && !pending {
			return
		}
		if pending && time.Now().Before(deadline.Add(grace/2)) {
			awaitDecisions(deadline.Add(grace / 2))
			continue
		}
		if !time.Now().Before(deadline) {
			if len(leaked) == 0 {
				return
			}
			markLeaked(leaked)
			var what, stacks []string
			for i := range leaked {
				g := &leaked[i]
				what = append(what, fmt.Sprintf("goroutine %d [%s] at %s", g.ID, g.State, where(g)))
				stacks = append(stacks, stackText(g))
			}
			reportAs(name, iter, KindLeak, fmt.Sprintf("%d goroutine(s) started by %s still running %v after it ended: %s", len(leaked), name, grace, strings.Join(what, "; ")), stacks)
			return
		}
		time.Sleep(delay)
		if delay < 100*time.Millisecond {
			delay *= 2
		}
	}
}

// markLeaked runs the goroutineleak profile's collection where the binary
// has it (built with GOEXPERIMENT=goroutineleakprofile): a GC that moves
// every goroutine blocked on a channel, lock or WaitGroup that no live
// goroutine can reach into the leaked state. It then reads gs's states
// again, which say " (leaked)" for those.
func markLeaked(gs []Goroutine) {
	p := pprof.Lookup("goroutineleak")
	if p == nil {
		return
	}
	if p.WriteTo(io.Discard, 1) != nil {
		return
	}
	now := make(map[int64]*Goroutine)
	all := ParseGoroutines(allStacks())
	for i := range all {
		now[all[i].ID] = &all[i]
	}
	for i := range gs {
		if g := now[gs[i].ID]; g != nil {
			gs[i] = *g
		}
	}
}

// otherTest reports whether g, or the goroutine that started it while it is
// still alive, runs a top-level test other than test: when several tests
// run at once (t.Parallel), their goroutines are not test's leaks.
func otherTest(g *Goroutine, test string, byID map[int64]*Goroutine) bool {
	if k := strings.IndexByte(test, '/'); k >= 0 {
		test = test[:k]
	}
	for depth := 0; g != nil && depth < 16; depth++ {
		frames := append(g.Frames, g.CreatedBy)
		for _, f := range frames {
			if name := testFunc(f.Func); name != "" {
				return name != test
			}
		}
		g = byID[g.CreatorID]
	}
	return false
}

// testFunc returns "TestX" for "path/pkg.TestX" or "path/pkg.TestX.func1",
// and "" for other functions.
func testFunc(fn string) string {
	if strings.Contains(fn, "conclabhuntrt.") {
		return ""
	}
	if k := strings.LastIndexByte(fn, '/'); k >= 0 {
		fn = fn[k+1:]
	}
	k := strings.IndexByte(fn, '.')
	if k < 0 {
		return ""
	}
	fn = fn[k+1:]
	if k := strings.IndexByte(fn, '.'); k >= 0 {
		fn = fn[:k]
	}
	if !strings.HasPrefix(fn, "Test") || fn == "TestMain" {
		return ""
	}
	return fn
}
