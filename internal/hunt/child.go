package hunt

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/conclab/conclab/internal/gotool"
	"github.com/conclab/conclab/internal/hunt/instrument/rt"
)

// A batch is one child process: iterations first..first+count-1 of a test.
type batch struct {
	t     *testState
	first int // 0-based run number of the first iteration
	count int
	procs int
	yield float64
	seed  uint64 // seed of the first iteration; iteration i uses seed+i
	index int    // unique among the hunt's batches, names its files

	ignore []Kind // kinds already found in the test: not looked for again
}

// A batchResult is what one child showed.
type batchResult struct {
	ev        *event
	completed int  // iterations that finished cleanly before the finding or the end
	slow      bool // the hard timeout fired on a run that was not deadlocked
	cancelled bool
	covers    []runCover // what the injected runtime saw each iteration reach
}

// maxOutput bounds what is kept of one child's output.
const maxOutput = 8 << 20

// outputWatcher collects a child's output and signals each "=== RUN" line of
// the test, the watchdog's sign of progress.
type outputWatcher struct {
	mu       sync.Mutex
	buf      []byte
	scanned  int
	marker   []byte
	progress chan struct{}
}

func (w *outputWatcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.buf)+len(p) <= maxOutput {
		w.buf = append(w.buf, p...)
	}
	start := max(0, w.scanned-len(w.marker))
	if idx := strings.Index(string(w.buf[start:]), string(w.marker)); idx >= 0 {
		select {
		case w.progress <- struct{}{}:
		default:
		}
	}
	w.scanned = len(w.buf)
	return len(p), nil
}

func (w *outputWatcher) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return string(w.buf)
}

// runBatch runs one child and reads what it printed and reported.
func (h *hunter) runBatch(ctx context.Context, b *batch) batchResult {
	t := b.t
	report := fmt.Sprintf("%s/run-%d.jsonl", h.work, b.index)
	args := []string{
		"-test.run", "^" + t.name + "$", "-test.count", strconv.Itoa(b.count),
		"-test.v=true", "-test.timeout=0", "-test.paniconexit0",
	}
	cmd := gotool.Command(ctx, t.target.pkg.Dir, t.target.bin, args...)
	cmd.Env = append(cmd.Env,
		"GOMAXPROCS="+strconv.Itoa(b.procs),
		"GOTRACEBACK=all",
		goraceEnv(),
		godebugEnv(), rt.EnvGODEBUG+"="+os.Getenv("GODEBUG"),
		"CONCLAB_HUNT_SEED="+strconv.FormatUint(b.seed, 10),
		"CONCLAB_HUNT_STALL="+h.cfg.Stall.String(),
		"CONCLAB_HUNT_REPORT="+report,
	)
	cmd.Env = append(cmd.Env, "CONCLAB_HUNT_YIELD="+strconv.FormatFloat(b.yield, 'g', -1, 64))
	if h.cfg.Grace > 0 {
		cmd.Env = append(cmd.Env, "CONCLAB_HUNT_GRACE="+h.cfg.Grace.String())
	}
	for _, k := range b.ignore {
		if d, _ := detector(k); d.Off != "" {
			cmd.Env = append(cmd.Env, d.Off) // spare each run the detector's cost (a leak check's grace period)
		}
	}
	w := &outputWatcher{marker: []byte("=== RUN   " + t.name + "\n"), progress: make(chan struct{}, 1)}
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Start(); err != nil {
		if ctx.Err() != nil {
			return batchResult{cancelled: true}
		}
		return batchResult{ev: &event{kind: KindFailure, message: "cannot start the test binary: " + err.Error()}}
	}
	var quitSent bool
	waitErr := make(chan error, 1)
	go func() { waitErr <- cmd.Wait() }()
	timeout := t.timeout()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	var err error
wait:
	for {
		select {
		case err = <-waitErr:
			break wait
		case <-w.progress:
			timer.Reset(timeout)
		case <-timer.C:
			if !quitSent {
				quitSent = true
				gotool.Quit(cmd)
				timer.Reset(3 * time.Second)
			} else {
				gotool.Kill(cmd)
			}
		}
	}
	out := w.String()
	res := batchResult{completed: strings.Count(out, "--- PASS: "+t.name+" (") + strings.Count(out, "--- SKIP: "+t.name+" (")}
	if ctx.Err() != nil {
		res.cancelled = true
		return res
	}
	res.covers = readCoverage(report, t.name, out)
	events := parseOutput(out, t.name)
	events = append(events, readReport(report, t.name, b.seed, out)...)
	if quitSent {
		i := strings.LastIndex(out, "SIGQUIT: quit")
		if i < 0 {
			i = 0
		}
		deadlocked, msg, stacks := classifyDump(out[i:])
		if !deadlocked && partialDeadlock(out[i:]) {
			deadlocked = true
			msg = "a partial deadlock, the other goroutines only sleep or wait for timers or I/O: " + msg
		}
		if !deadlocked {
			res.slow = true
			events = dropAfter(events, i)
		} else {
			events = append(events, event{
				kind: KindDeadlock, message: fmt.Sprintf("no progress for %v: %s", timeout, msg),
				stacks: stacks, iter: max(len(runPositions(out, t.name))-1, 0), pos: i,
			})
		}
	}
	var exit *exec.ExitError
	if len(events) == 0 && !quitSent && errors.As(err, &exit) {
		events = append(events, event{
			kind: KindFailure, message: fmt.Sprintf("the test binary exited with %v: %s", exit, gotool.LastLine(out)),
			iter: max(len(runPositions(out, t.name))-1, 0),
		})
	}
	events = slices.DeleteFunc(events, func(e event) bool { return slices.Contains(b.ignore, e.kind) })
	if e := first(events); e != nil {
		res.ev = e
		res.completed = e.iter
	}
	return res
}

// goraceEnv keeps the user's GORACE options and drops the race runtime's
// one-second sleep at exit, which would cost more than most runs.
func goraceEnv() string {
	opts := os.Getenv("GORACE")
	if !strings.Contains(opts, "atexit_sleep_ms") {
		opts = strings.TrimSpace(opts + " atexit_sleep_ms=0")
	}
	return "GORACE=" + opts
}

// ancestors is how many creators' stacks a goroutine's traceback shows:
// enough to reach the test's call that started a leaked goroutine through
// a pool's or a group's own spawning goroutine.
const ancestors = 3

// godebugEnv adds GODEBUG=tracebackancestors to the user's GODEBUG (unless
// it sets it): a leaked goroutine's stack then says which call of the test
// started it. The injected runtime restores the user's GODEBUG for the
// processes a test starts.
func godebugEnv() string {
	v := os.Getenv("GODEBUG")
	if strings.Contains(v, "tracebackancestors=") {
		return "GODEBUG=" + v
	}
	if v != "" {
		v += ","
	}
	return "GODEBUG=" + v + "tracebackancestors=" + strconv.Itoa(ancestors)
}

// dropAfter keeps the events found before the SIGQUIT dump at pos (a panic
// line inside the dump is the dump's, not the test's).
func dropAfter(events []event, pos int) []event {
	var kept []event
	for _, e := range events {
		if e.pos < pos || e.pos < 0 {
			kept = append(kept, e)
		}
	}
	return kept
}

// A reportLine is one finding the injected runtime appended to
// CONCLAB_HUNT_REPORT.
type reportLine struct {
	Kind      Kind     `json:"kind"`
	Test      string   `json:"test"`
	Iteration int      `json:"iteration"`
	Seed      uint64   `json:"seed"`
	Message   string   `json:"message"`
	Stacks    []string `json:"stacks"`
}

// readReport reads the runtime's findings about test from the report file.
func readReport(path, test string, seed uint64, out string) []event {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var events []event
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, maxOutput)
	for sc.Scan() {
		var l reportLine
		if json.Unmarshal(sc.Bytes(), &l) != nil || l.Kind == "" {
			continue
		}
		if l.Test != "" && l.Test != test && !strings.HasPrefix(l.Test, test+"/") {
			continue
		}
		iter := l.Iteration
		if l.Seed >= seed && l.Seed-seed < 1<<20 {
			iter = int(l.Seed - seed)
		}
		stacks := make([]string, len(l.Stacks))
		for i, s := range l.Stacks {
			stacks[i] = trimStack(s)
		}
		events = append(events, event{kind: l.Kind, message: l.Message, stacks: stacks, iter: iter, pos: -1})
	}
	return events
}
