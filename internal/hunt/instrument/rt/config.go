//go:build conclabhunt

package rt

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

var (
	active     bool
	yieldP     float64
	baseSeed   uint64
	stall      time.Duration
	grace      = time.Second
	reportPath string
	tracking   bool
	leaks      bool
	gorootSrc  string
	started    = time.Now()
)

// Shared words, touched only with atomics under raceDisable.
var (
	curSeed  uint64
	progress uint64
)

func init() {
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "CONCLAB_HUNT_") {
			active = true
		}
	}
	if !active {
		return
	}
	if v := os.Getenv("CONCLAB_HUNT_SEED"); v != "" {
		baseSeed, _ = strconv.ParseUint(v, 10, 64)
	}
	if v := os.Getenv("CONCLAB_HUNT_YIELD"); v != "" {
		yieldP, _ = strconv.ParseFloat(v, 64)
	}
	if v := os.Getenv("CONCLAB_HUNT_STALL"); v != "" {
		stall, _ = time.ParseDuration(v)
	}
	if v := os.Getenv("CONCLAB_HUNT_GRACE"); v != "" {
		if d, err := time.ParseDuration(v); err == nil {
			grace = d
		}
	}
	reportPath = os.Getenv("CONCLAB_HUNT_REPORT")
	tracking = os.Getenv("CONCLAB_HUNT_LOCKS") != "off"
	leaks = os.Getenv(EnvLeaks) != "off"
	// Processes the tests start (a test binary re-running itself) run
	// plainly, as they would without hunt, and never write this report.
	// The runtime read GODEBUG at start: hunt's tracebackancestors stays in
	// force here and the user's own setting goes back in the environment.
	if v, ok := os.LookupEnv(EnvGODEBUG); ok {
		if v == "" {
			os.Unsetenv("GODEBUG")
		} else {
			os.Setenv("GODEBUG", v)
		}
	}
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "CONCLAB_HUNT_") {
			os.Unsetenv(kv[:strings.IndexByte(kv, '=')])
		}
	}
	curSeed = baseSeed
	file, _ := runtime.FuncForPC(reflect.ValueOf(runtime.Gosched).Pointer()).FileLine(0)
	gorootSrc = strings.TrimSuffix(file, "runtime/proc.go")
}

// Yield perturbs the schedule at a concurrency operation: whether the
// site's n-th visit in the run yields, and whether by runtime.Gosched or by
// sleeping a few microseconds, is a function of the run's seed, the site and
// n (schedule.go), so that a replay with the same seed makes the same
// decisions. One goroutine in four, chosen by the seed and its id counted
// from the test goroutine's, is slow in the run: where it yields it sleeps
// 25 to 500 µs, so that the others run through a window that two goroutines
// of the same code would otherwise cross alike (GoBench's serving#2137 needs
// one request's goroutine to stall while another takes the only slot).
func Yield(site uint32) {
	if !active {
		return
	}
	raceDisable()
	atomic.AddUint64(&progress, 1)
	cover(site)
	seed := atomic.LoadUint64(&curSeed)
	var visit uint64
	if yieldP > 0 {
		visit = atomic.AddUint64(&visits[site%visitSlots], 1)
	}
	raceEnable()
	if !yieldAt(seed, site, visit, yieldP) {
		return
	}
	if inBubble() {
		runtime.Gosched()
		return
	}
	raceDisable()
	rel := goid() - atomic.LoadInt64(&testGoid)
	raceEnable()
	d := pauseAt(seed, site, slowGoroutine(seed, rel))
	if d == 0 || !sleepBudget() {
		runtime.Gosched()
		return
	}
	start := time.Now()
	time.Sleep(d)
	raceDisable()
	atomic.AddInt64(&slept, int64(time.Since(start)))
	raceEnable()
}

// visits counts each site's visits in the current run; testGoid is the id
// of the current test's goroutine. Both are reset when a test starts and
// touched only with atomics under raceDisable.
var (
	visits   [visitSlots]uint64
	testGoid int64
)

// visitSlots is the number of per-site visit counters of a run; sites
// whose ids agree in their low bits share one.
const visitSlots = 1 << 12

// resetSchedule starts the perturbation of a new run, from the test's own
// goroutine.
func resetSchedule(seed uint64) {
	for i := range visits {
		atomic.StoreUint64(&visits[i], 0)
	}
	atomic.StoreInt64(&testGoid, goid())
	atomic.StoreUint64(&curSeed, seed)
}

// slept is the time yields spent sleeping. A short sleep lasts as long as
// the timer's resolution (up to a millisecond when the processor has
// nothing else to do), so yields sleep only while that stays under a tenth
// of the run, and Gosched otherwise.
var slept int64

func sleepBudget() bool {
	raceDisable()
	s := atomic.LoadInt64(&slept)
	raceEnable()
	return time.Duration(s) < time.Since(started)/10
}

// bubbleEpoch is later than any fake clock of a testing/synctest bubble,
// which starts at midnight UTC, 1 January 2000.
var bubbleEpoch = time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)

// inBubble reports whether the goroutine runs in a synctest bubble, where a
// sleep waits for virtual time, which does not pass while another goroutine
// of the bubble waits for a mutex: a yield there must not sleep.
func inBubble() bool { return time.Now().Before(bubbleEpoch) }

// goid returns the current goroutine's id, read from runtime.Stack's header.
func goid() int64 {
	var buf [64]byte
	n := runtime.Stack(buf[:], false)
	var id int64
	for _, c := range buf[len("goroutine "):n] {
		if c < '0' || c > '9' {
			break
		}
		id = id*10 + int64(c-'0')
	}
	return id
}

type finding struct {
	Kind      string   `json:"kind"`
	Test      string   `json:"test"`
	Iteration int      `json:"iteration"`
	Seed      uint64   `json:"seed"`
	Message   string   `json:"message"`
	Stacks    []string `json:"stacks"`
}

var reportMu sync.Mutex

// report reports a finding of the current test.
func report(kind, message string, stacks []string) {
	raceDisable()
	test, iter := currentTest()
	raceEnable()
	reportAs(test, iter, kind, message, stacks)
}

// reportAs appends a finding to CONCLAB_HUNT_REPORT and prints it on stderr.
// Formatting happens outside raceDisable: fmt and encoding/json reuse
// buffers through sync.Pool, whose race annotations must stay on.
func reportAs(test string, iter int, kind, message string, stacks []string) {
	f := finding{Kind: kind, Test: test, Iteration: iter, Seed: baseSeed + uint64(iter), Message: message, Stacks: stacks}
	line, err := json.Marshal(f)
	if err != nil {
		return
	}
	line = append(line, '\n')
	text := []byte(fmt.Sprintf("conclab-hunt: %s: %s\n", kind, message))
	raceDisable()
	defer raceEnable()
	reportMu.Lock()
	defer reportMu.Unlock()
	os.Stderr.Write(text)
	if reportPath == "" {
		return
	}
	out, err := os.OpenFile(reportPath, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0644)
	if err != nil {
		return
	}
	out.Write(line)
	out.Close()
}

// fatal reports a finding after which the program cannot go on, and exits
// with status 3.
func fatal(kind, message string, stacks []string) {
	report(kind, message, stacks)
	os.Exit(3)
}

// allStacks returns the dump of every goroutine.
func allStacks() string {
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return string(buf[:n])
		}
		buf = make([]byte, 2*len(buf))
	}
}

// userFrame reports whether f is the hunted program's code: not the
// standard library, not the test main and not this runtime.
func userFrame(f Frame) bool {
	if f.Func == "" || strings.Contains(f.Func, "conclabhuntrt.") || strings.HasSuffix(f.File, "_testmain.go") {
		return false
	}
	if gorootSrc != "" {
		return !strings.HasPrefix(f.File, gorootSrc)
	}
	first := f.Func
	if k := strings.IndexByte(first, '/'); k >= 0 {
		first = first[:k]
	}
	return strings.Contains(first, ".") && !strings.HasPrefix(f.Func, "main.")
}

// isOurs reports whether g is this runtime at work: the watchdog, a leak
// check, a goroutine deciding about a lock it already holds.
func isOurs(g *Goroutine) bool {
	for _, f := range g.Frames {
		if strings.Contains(f.Func, "conclabhuntrt.") && (strings.HasSuffix(f.Func, ".watch") || strings.HasSuffix(f.Func, ".sample") || strings.HasSuffix(f.Func, ".checkLeaks") || strings.HasSuffix(f.Func, ".waitSelf")) {
			return true
		}
	}
	return false
}

// isUser reports whether g runs or was started by the hunted program's code.
func isUser(g *Goroutine) bool {
	if isOurs(g) {
		return false
	}
	if _, ok := g.Top(userFrame); ok {
		return true
	}
	return userFrame(g.CreatedBy)
}

// where names the innermost user frame of g as "file:line".
func where(g *Goroutine) string {
	f, ok := g.Top(userFrame)
	if !ok {
		f = g.CreatedBy
	}
	return fmt.Sprintf("%s:%d", f.File, f.Line)
}

// stackText renders g as the runtime prints it, without argument values.
func stackText(g *Goroutine) string {
	var b strings.Builder
	fmt.Fprintf(&b, "goroutine %d [%s]:\n", g.ID, g.State)
	for _, f := range g.Frames {
		fmt.Fprintf(&b, "%s(...)\n\t%s:%d\n", f.Func, f.File, f.Line)
	}
	if g.CreatedBy.Func != "" {
		fmt.Fprintf(&b, "created by %s in goroutine %d\n\t%s:%d\n", g.CreatedBy.Func, g.CreatorID, g.CreatedBy.File, g.CreatedBy.Line)
	}
	for _, a := range g.Ancestors {
		fmt.Fprintf(&b, "[originating from goroutine %d]:\n", a.ID)
		for _, f := range a.Frames {
			fmt.Fprintf(&b, "%s(...)\n\t%s:%d\n", f.Func, f.File, f.Line)
		}
		if a.CreatedBy.Func != "" {
			fmt.Fprintf(&b, "created by %s\n\t%s:%d\n", a.CreatedBy.Func, a.CreatedBy.File, a.CreatedBy.Line)
		}
	}
	return b.String()
}
