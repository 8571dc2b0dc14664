//go:build conclabhunt

package rt

import (
	"fmt"
	"hash/fnv"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// The watchdog re-arms a timer instead of keeping a goroutine, so that tests
// and TestMains checking for leaked goroutines do not see it. Its state is
// held in atomics, touched under raceDisable.
var (
	wdStarted  uint32
	wdSig      uint64
	wdProgress uint64
	wdSince    int64
)

func startWatchdog() {
	if stall <= 0 {
		return
	}
	raceDisable()
	first := atomic.CompareAndSwapUint32(&wdStarted, 0, 1)
	if first {
		atomic.StoreInt64(&wdSince, time.Now().UnixNano())
	}
	raceEnable()
	if first {
		// Armed outside raceDisable: the timer orders this goroutine before
		// the watchdog, which reads what init wrote; the watchdog orders
		// nothing back.
		time.AfterFunc(interval(), watch)
	}
}

func interval() time.Duration {
	d := stall / 4
	if d < 10*time.Millisecond {
		d = 10 * time.Millisecond
	}
	return d
}

// watch samples every goroutine while a hooked test runs (not after the
// tests: the race runtime lets a program linger a second at exit). When, for
// the whole stall deadline, every goroutine of the program waits for another
// one (channels, select, locks, Cond, WaitGroup: none runs, sleeps, or waits
// for I/O or a system call), none changed its stack and no instrumented site
// ran, it reports a deadlock and exits with status 3.
func watch() {
	raceDisable()
	atomic.AddUint64(&wdFires, 1)
	raceEnable()
	if stuck := sample(); stuck != nil {
		deadlock(stuck)
	}
	time.AfterFunc(interval(), watch)
}

// sample returns the stuck goroutines once the stall deadline has passed.
// A sample taken late (a loaded machine delays timers) could span a wake-up
// it did not see, so a stall is confirmed by a second dump before it counts.
func sample() []Goroutine {
	raceDisable()
	defer raceEnable()
	sig, stuck, now := look()
	p := atomic.LoadUint64(&progress)
	if stuck == nil || atomic.LoadInt32(&running) == 0 || atomic.LoadInt32(&checking) > 0 ||
		sig != atomic.LoadUint64(&wdSig) || p != atomic.LoadUint64(&wdProgress) {
		atomic.StoreUint64(&wdSig, sig)
		atomic.StoreUint64(&wdProgress, p)
		atomic.StoreInt64(&wdSince, now)
		return nil
	}
	since := atomic.LoadInt64(&wdSince)
	if h := atomic.LoadInt64(&timerHorizon); h > since {
		since = h
	}
	if time.Duration(now-since) < stall {
		return nil
	}
	again, stuck, _ := look()
	if again != sig || atomic.LoadUint64(&progress) != p {
		atomic.StoreInt64(&wdSince, now)
		return nil
	}
	return stuck
}

func look() (uint64, []Goroutine, int64) {
	gs := ParseGoroutines(allStacks())
	sig, stuck := stalled(gs)
	return sig, stuck, time.Now().UnixNano()
}

// stalled returns a signature of the program's goroutines and the list of
// them when all wait for one another, or nil.
func stalled(gs []Goroutine) (uint64, []Goroutine) {
	var stuck []Goroutine
	h := fnv.New64a()
	for i := range gs {
		g := &gs[i]
		if isOurs(g) || inSignalLoop(g) {
			continue
		}
		switch Classify(g.State) {
		case WaitRunning, WaitSleep, WaitIO, WaitSyscall:
			// Any goroutine, the standard library's too, that runs, sleeps
			// or waits for the outside world may still wake the others.
			return 0, nil
		case WaitOther:
			continue
		}
		if !isUser(g) {
			continue
		}
		stuck = append(stuck, *g)
		h.Write([]byte(strconv.FormatInt(g.ID, 10) + " " + g.State))
		for _, f := range g.Frames {
			h.Write([]byte(" " + f.Func + ":" + strconv.Itoa(f.Line)))
		}
		h.Write([]byte{'\n'})
	}
	onlyTesting := true
	for i := range stuck {
		onlyTesting = onlyTesting && waitsInTesting(&stuck[i])
	}
	if onlyTesting {
		return 0, nil
	}
	return h.Sum64(), stuck
}

func deadlock(stuck []Goroutine) {
	sort.Slice(stuck, func(i, j int) bool { return stuck[i].ID < stuck[j].ID })
	raceDisable()
	waits := waitGraph()
	raceEnable()
	var what, stacks []string
	for i := range stuck {
		g := &stuck[i]
		if waitsInTesting(g) {
			continue
		}
		line := fmt.Sprintf("goroutine %d %s at %s", g.ID, Classify(g.State), where(g))
		for _, w := range waits {
			if w.g == g.ID {
				line += fmt.Sprintf(" (lock held by goroutine %d since %s)", w.holder, site(w.pcs[:]))
			}
		}
		what = append(what, line)
		stacks = append(stacks, stackText(g))
	}
	msg := fmt.Sprintf("no progress for %v: %s", stall, strings.Join(what, "; "))
	if c := waitCycle(waits); c != "" {
		msg += "; wait-for cycle " + c
	}
	fatal(KindDeadlock, msg, stacks)
}

// waitCycle returns "g1 -> g2 -> g1" for a cycle of goroutines waiting for
// locks the next one holds.
func waitCycle(ws []waitFor) string {
	next := func(g int64) int64 {
		for _, w := range ws {
			if w.g == g {
				return w.holder
			}
		}
		return 0
	}
	for _, w := range ws {
		seen := []int64{w.g}
		for g := next(w.g); g != 0; g = next(g) {
			for k, s := range seen {
				if s == g {
					var parts []string
					for _, x := range append(seen[k:], g) {
						parts = append(parts, fmt.Sprintf("goroutine %d", x))
					}
					return strings.Join(parts, " -> ")
				}
			}
			seen = append(seen, g)
		}
	}
	return ""
}

// waitsInTesting reports whether g is blocked inside package testing itself
// (a test waiting for its subtests, TestMain waiting for the tests): it only
// waits for the goroutines the report lists.
func waitsInTesting(g *Goroutine) bool {
	for _, f := range g.Frames {
		if strings.HasPrefix(f.Func, "runtime.") {
			continue
		}
		return strings.HasPrefix(f.Func, "testing.")
	}
	return false
}

// inSignalLoop reports whether g is os/signal's loop, which waits in a system
// call for the whole life of the program.
func inSignalLoop(g *Goroutine) bool {
	for _, f := range g.Frames {
		if strings.HasPrefix(f.Func, "os/signal.") {
			return true
		}
	}
	return false
}

// timerHorizon is when the last timer the hunted code started fires (unix
// nanoseconds): until then a goroutine waiting on a channel may be woken by
// time, and the program is not stalled.
var timerHorizon int64

// Timer notes a timer of duration d the hunted code starts, and returns d.
// Timers longer than ten stall deadlines are safety nets, not waits, and do
// not hold the watchdog back.
func Timer(d time.Duration) time.Duration {
	if active && stall > 0 && d > 0 && d <= 10*stall {
		noteHorizon(time.Now().Add(d))
	}
	return d
}

// Deadline notes a context deadline as Timer notes a duration, and returns
// t.
func Deadline(t time.Time) time.Time {
	if active && stall > 0 {
		if d := time.Until(t); d > 0 && d <= 10*stall {
			noteHorizon(t)
		}
	}
	return t
}

func noteHorizon(t time.Time) {
	n := t.UnixNano()
	raceDisable()
	defer raceEnable()
	for {
		old := atomic.LoadInt64(&timerHorizon)
		if n <= old || atomic.CompareAndSwapInt64(&timerHorizon, old, n) {
			return
		}
	}
}
