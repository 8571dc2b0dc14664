package correctness

import (
	"os"
	"regexp"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/scenarios"
)

// A testing/synctest bubble is conclab's detector for Fault Deadlock: when
// every goroutine in the bubble is durably blocked, synctest.Test panics
// with "deadlock: ..." instead of hanging. A panic would kill the test
// binary, so each deadlocking case runs in a child: the test binary
// re-executed with -test.run=^TestHelperDeadlock$ and the case's name in
// deadlockCaseEnv, as the Go runtime's own tests do. The parent asserts that
// the child failed and printed synctest's verdict.

// deadlockCaseEnv names the case TestHelperDeadlock runs in the child.
const deadlockCaseEnv = "CONCLAB_DEADLOCK_CASE"

// deadlockCase is run inside a synctest bubble. Broken must deadlock;
// fixed is the same code with the bug fixed, and must not.
type deadlockCase struct {
	name          string
	broken, fixed func(t *testing.T)
	// blocked matches a frame of the goroutine left blocked forever, which
	// the child's panic output must show.
	blocked *regexp.Regexp
}

// deadlockCases returns the cases; scenario variants of Fault Deadlock are
// added by scenarioDeadlockCases.
func deadlockCases() []deadlockCase {
	return append([]deadlockCase{{
		name:    "cond-signal-on-close",
		broken:  func(t *testing.T) { closeWakesAll(t, false) },
		fixed:   func(t *testing.T) { closeWakesAll(t, true) },
		blocked: regexp.MustCompile(`correctness\.\(\*condQueue\)\.Get`),
	}}, scenarioDeadlockCases()...)
}

// condQueue is the smallest queue whose Close can be written wrong: Get
// waits on a sync.Cond until an item arrives or the queue is closed.
type condQueue struct {
	mu        sync.Mutex
	cond      *sync.Cond
	items     []int
	closed    bool
	broadcast bool // Close wakes every waiter (correct) or one (the bug)
}

func newCondQueue(broadcast bool) *condQueue {
	q := &condQueue{broadcast: broadcast}
	q.cond = sync.NewCond(&q.mu)
	return q
}

// Get returns the next item, or false once the queue is closed and empty.
func (q *condQueue) Get() (int, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 && !q.closed {
		q.cond.Wait()
	}
	if len(q.items) == 0 {
		return 0, false
	}
	v := q.items[0]
	q.items = q.items[1:]
	return v, true
}

// Close wakes the waiting consumers so that they see the queue closed. With
// Signal instead of Broadcast only one of them wakes.
func (q *condQueue) Close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	if q.broadcast {
		q.cond.Broadcast()
	} else {
		q.cond.Signal()
	}
}

// closeWakesAll parks two consumers in Get, closes the queue and waits for
// both to return.
func closeWakesAll(t *testing.T, broadcast bool) {
	q := newCondQueue(broadcast)
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			_, ok := q.Get()
			assert.False(t, ok, "Get on a closed, empty queue reports false")
		})
	}
	synctest.Wait() // both consumers are durably blocked in Cond.Wait
	q.Close()
	wg.Wait()
}

// TestHelperDeadlock is not a test: it is the child process of
// TestDeadlockIsDetected, and runs one deadlocking case in a bubble.
func TestHelperDeadlock(t *testing.T) {
	name := os.Getenv(deadlockCaseEnv)
	if name == "" {
		t.Skip("helper for TestDeadlockIsDetected; runs only in its child process")
	}
	for _, c := range deadlockCases() {
		if c.name == name {
			synctest.Test(t, c.broken)
			t.Fatalf("%s: synctest.Test returned: no deadlock detected", name)
		}
	}
	t.Fatalf("no deadlock case %q", name)
}

// synctestDeadlock is what synctest.Test panics with on a deadlocked bubble.
var synctestDeadlock = regexp.MustCompile(`deadlock: (all goroutines in bubble are blocked|main bubble goroutine has exited but blocked goroutines remain)`)

// TestDeadlockIsDetected runs each deadlocking case in a child test binary
// and requires synctest to report the deadlock, naming where the goroutine
// is stuck, instead of hanging.
func TestDeadlockIsDetected(t *testing.T) {
	require.NotEmpty(t, scenarioDeadlockCases(), "the catalogue has variants of Fault Deadlock: nothing proves synctest fires on a scenario")
	exe, err := os.Executable()
	require.NoError(t, err)
	for _, c := range deadlockCases() {
		t.Run(c.name, func(t *testing.T) {
			out, code := runChild(t, exe,
				[]string{"-test.run=^TestHelperDeadlock$", "-test.count=1", "-test.timeout=2m"},
				deadlockCaseEnv+"="+c.name)
			assert.NotEqual(t, 0, code, "a deadlocked bubble fails the child; output:\n%s", out)
			assert.Regexp(t, synctestDeadlock, out, "synctest reports the deadlock")
			assert.Regexp(t, c.blocked, out, "the report shows where the goroutine is stuck")
		})
	}
}

// TestNoDeadlockWhenFixed is the positive control: each case with its bug
// fixed finishes in a bubble.
func TestNoDeadlockWhenFixed(t *testing.T) {
	for _, c := range deadlockCases() {
		if c.fixed == nil {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			synctest.Test(t, c.fixed)
		})
	}
}

// blockedInScenarios matches a goroutine that synctest reports durably
// blocked with a frame of package scenarios on its stack: a deadlocked
// variant's goroutine, stuck in the scenario's own code.
var blockedInScenarios = regexp.MustCompile(`goroutine \d+ \[[^\]]*durable[^\]]*\]:\n(?:[^\n]+\n)*?github\.com/conclab/conclab/scenarios\.`)

// deadlockBlockedIn names, for the variants whose bug is known here, the
// function their goroutines must be reported stuck in.
var deadlockBlockedIn = map[string]*regexp.Regexp{
	"condition-no-close": regexp.MustCompile(`goroutine \d+ \[sync\.Cond\.Wait \(durable\)[^\]]*\]:\n(?:[^\n]+\n)*?github\.com/conclab/conclab/scenarios\.\(\*Queue\[\.\.\.\]\)\.Get`),
}

// scenarioDeadlockCases turns every broken variant of Fault Deadlock in the
// catalogue into a case: broken runs the variant with its scenario's
// defaults, fixed runs the scenario itself.
func scenarioDeadlockCases() []deadlockCase {
	var cases []deadlockCase
	for _, s := range scenarios.All() {
		for _, v := range s.Broken {
			if v.Fault != scenarios.Deadlock {
				continue
			}
			blocked := blockedInScenarios
			if re, ok := deadlockBlockedIn[v.Name]; ok {
				blocked = re
			}
			cases = append(cases, deadlockCase{
				name: v.Name,
				broken: func(t *testing.T) {
					_, err := v.Run(t.Context(), s.Defaults)
					t.Errorf("%s returned (error %v): it was meant to deadlock", v.Name, err)
				},
				fixed: func(t *testing.T) {
					res, err := s.Run(t.Context(), s.Defaults)
					require.NoError(t, err)
					assert.NoError(t, s.Check(s.Defaults, res))
				},
				blocked: blocked,
			})
		}
	}
	return cases
}
