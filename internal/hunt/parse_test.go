package hunt

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const raceOutput = `=== RUN   TestRace
--- PASS: TestRace (0.00s)
=== RUN   TestRace
==================
WARNING: DATA RACE
Read at 0x00c000094338 by goroutine 8:
  ex/p.TestRace.func1()
      /tmp/hx/p/p_test.go:14 +0x7b
  runtime.goexit()
      /usr/local/go/src/runtime/asm_amd64.s:1771 +0x1

Previous write at 0x00c000094338 by goroutine 9:
  ex/p.TestRace.func2()
      /tmp/hx/p/p_test.go:15 +0x8d

Goroutine 8 (running) created at:
  testing.tRunner()
      /usr/local/go/src/testing/testing.go:2036 +0x21d
  ex/p.TestRace()
      /tmp/hx/p/p_test.go:14 +0x11c
==================
    testing.go:1712: race detected during execution of test
--- FAIL: TestRace (0.00s)
FAIL
`

const dumpOutput = `=== RUN   TestHang
SIGQUIT: quit
PC=0x4c83e1 m=0 sigcode=0

goroutine 1 gp=0xc0000081e0 m=nil [chan receive]:
runtime.gopark(0x18?, 0x7d3660?, 0x78?, 0x43?, 0xc0000dd708?)
	/usr/local/go/src/runtime/proc.go:462 +0xce fp=0xc0000dd6a0 sp=0xc0000dd680 pc=0x4bee6e
testing.(*T).Run(0xc0000ea008, {0x648428, 0xa}, 0x6555d8)
	/usr/local/go/src/testing/testing.go:2109 +0xb3e fp=0xc0000dd890 sp=0xc0000dd740 pc=0x56953e
main.main()
	_testmain.go:56 +0x165 fp=0xc0000ddf48 sp=0xc0000dde80 pc=0x5e4985

goroutine 6 gp=0xc0001181e0 m=nil [chan send, 2 minutes]:
runtime.gopark(0x0?, 0x0?, 0x0?, 0x0?, 0x0?)
	/usr/local/go/src/runtime/proc.go:462 +0xce fp=0xc00003c7a8 sp=0xc00003c788 pc=0x4bee6e
ex/p.TestHang.func1()
	/tmp/hx/p/p_test.go:22 +0x2d fp=0xc000055ee0 sp=0xc000055ec0 pc=0x5e462d
created by ex/p.TestHang in goroutine 5
	/tmp/hx/p/p_test.go:21 +0x2d

goroutine 5 gp=0xc0001181e1 m=nil [sync.Mutex.Lock]:
sync.(*Mutex).Lock(0xc000012345)
	/usr/local/go/src/sync/mutex.go:90 +0x2d
ex/p.TestHang(0xc000144248?)
	/tmp/hx/p/p_test.go:25 +0x2d fp=0xc000055ee0 sp=0xc000055ec0 pc=0x5e462d
testing.tRunner(0xc000144248, 0x6555d8)
	/usr/local/go/src/testing/testing.go:2036 +0x21d
`

func TestParseRace(t *testing.T) {
	events := parseOutput(raceOutput, "TestRace")
	e := first(events)
	require.NotNil(t, e)
	assert.Equal(t, KindRace, e.kind, "a race wins over the failure it causes")
	assert.Equal(t, 1, e.iter, "the race is in the second iteration")
	assert.Equal(t, "data race: read at p/p_test.go:14 (p.TestRace.func1) vs previous write at p/p_test.go:15 (p.TestRace.func2)", e.message)
	require.Len(t, e.stacks, 1)
	assert.NotContains(t, e.stacks[0], "runtime.goexit", "runtime frames are trimmed")
	assert.NotContains(t, e.stacks[0], "testing.tRunner", "testing frames are trimmed")
	assert.Contains(t, e.stacks[0], "ex/p.TestRace()\n      /tmp/hx/p/p_test.go:14")
}

// A send racing a close is named as such, not as a read racing a write at
// the runtime's functions; the test's failure that echoes the race is no
// finding of its own.
func TestParseChannelRace(t *testing.T) {
	out := `=== RUN   TestSendClose
==================
WARNING: DATA RACE
Read at 0x00c0000c2290 by goroutine 8:
  runtime.chansend()
      /usr/local/go/src/runtime/chan.go:176 +0x0
  ex/p.TestSendClose.func1()
      /tmp/hx/p/p_test.go:8 +0x89

Previous write at 0x00c0000c2290 by goroutine 7:
  runtime.closechan()
      /usr/local/go/src/runtime/chan.go:397 +0x0
  ex/p.TestSendClose()
      /tmp/hx/p/p_test.go:9 +0x10c
==================
    testing.go:1712: race detected during execution of test
--- FAIL: TestSendClose (0.00s)
`
	events := parseOutput(out, "TestSendClose")
	require.Len(t, events, 1, "the race alone: %+v", events)
	assert.Equal(t, KindRace, events[0].kind)
	assert.Equal(t, "data race: send on channel at p/p_test.go:8 (p.TestSendClose.func1) vs previous close of channel at p/p_test.go:9 (p.TestSendClose)", events[0].message)
}

func TestParsePanicAndFailure(t *testing.T) {
	for _, tc := range []struct {
		name, out string
		kind      Kind
		message   string
	}{
		{"panic", "=== RUN   TestP\n--- FAIL: TestP (0.00s)\npanic: close of closed channel [recovered]\n\ngoroutine 7 [running]:\nex/p.TestP(0xc0)\n\t/x/p_test.go:9 +0x3a\n", KindPanic, "panic: close of closed channel [recovered]"},
		{"fatal map writes", "=== RUN   TestP\nfatal error: concurrent map writes\n\ngoroutine 7 [running]:\nex/p.TestP(0xc0)\n\t/x/p_test.go:9 +0x3a\n", KindPanic, "fatal error: concurrent map writes"},
		{"failure streamed before", "=== RUN   TestP\n    p_test.go:40: boom\n--- FAIL: TestP (0.00s)\nFAIL\n", KindFailure, "TestP failed: p_test.go:40: boom"},
		{"testify assertion", "=== RUN   TestP\n    p_test.go:65: \n        \tError Trace:\t/x/p_test.go:65\n        \tError:      \tNot equal: \n        \t            \texpected: 1\n        \t            \tactual  : 2\n        \t            \t\n        \t            \tDiff:\n        \t            \t--- Expected\n        \tTest:       \tTestP\n        \tMessages:   \tone goroutine left\n--- FAIL: TestP (0.00s)\n", KindFailure, "TestP failed: p_test.go:65: Not equal: expected: 1 actual : 2; one goroutine left"},
		{"message on the next line", "=== RUN   TestP\n    p_test.go:9: \n        got 3 items\n--- FAIL: TestP (0.00s)\n", KindFailure, "TestP failed: p_test.go:9: got 3 items"},
		{"subtest failure", "=== RUN   TestP\n=== RUN   TestP/a\n    p_test.go:7: bad\n--- FAIL: TestP/a (0.00s)\n--- FAIL: TestP (0.00s)\n", KindFailure, "TestP/a failed: p_test.go:7: bad"},
		{"failure printed, not logged", "=== RUN   TestP\nwant 3 got 4\n--- FAIL: TestP (0.00s)\nFAIL\n", KindFailure, "TestP failed: last printed: want 3 got 4"},
		{"failure without a message", "=== RUN   TestP\n--- FAIL: TestP (0.00s)\nFAIL\n", KindFailure, "TestP failed: no message (t.Fail or t.FailNow without a log line, or a failed subtest's own)"},
		{"runtime deadlock", "=== RUN   TestP\nfatal error: all goroutines are asleep - deadlock!\n\ngoroutine 6 [chan receive]:\nex/p.TestP(0xc0)\n\t/x/p_test.go:9 +0x3a\n", KindDeadlock, "all goroutines are asleep: 1 goroutines blocked: goroutine 6 chan receive at x/p_test.go:9 (p.TestP)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := first(parseOutput(tc.out, "TestP"))
			require.NotNil(t, e)
			assert.Equal(t, tc.kind, e.kind)
			assert.Equal(t, tc.message, e.message)
		})
	}
}

func TestParseCleanOutput(t *testing.T) {
	out := "=== RUN   TestP\n    p_test.go:3: panic: not really, a log line\n--- PASS: TestP (0.00s)\n=== RUN   TestPOther\n--- FAIL: TestPOther (0.00s)\nPASS\n"
	assert.Empty(t, parseOutput(out, "TestP"), "a log line mentioning panic, another test's failure: nothing")
}

func TestClassifyDump(t *testing.T) {
	deadlocked, msg, stacks := classifyDump(dumpOutput)
	assert.True(t, deadlocked)
	assert.Equal(t, "2 goroutines blocked: goroutine 6 chan send at p/p_test.go:22 (p.TestHang.func1); goroutine 5 mutex at p/p_test.go:25 (p.TestHang)", msg)
	require.Len(t, stacks, 2)
	assert.NotContains(t, stacks[1], "sync.(*Mutex)")
	assert.NotContains(t, stacks[0], "fp=", "frame addresses are dropped")

	running := strings.Replace(dumpOutput, "[chan send, 2 minutes]", "[running]", 1)
	deadlocked, _, _ = classifyDump(running)
	assert.False(t, deadlocked, "a running goroutine may still make progress: not a deadlock")
	sleeping := strings.Replace(dumpOutput, "[chan send, 2 minutes]", "[sleep]", 1)
	deadlocked, _, _ = classifyDump(sleeping)
	assert.False(t, deadlocked, "a sleeping goroutine wakes up: not a deadlock")
}

// A run that outlived the hard timeout while a poller slept: a partial
// deadlock when the test and another goroutine wait on what only a
// goroutine can give, slow otherwise.
func TestPartialDeadlock(t *testing.T) {
	const sleeper = "\ngoroutine 7 gp=0xc0001181e2 m=nil [sleep]:\ntime.Sleep(0x989680)\n\t/usr/local/go/src/runtime/time.go:363 +0x165\nex/p.janitor()\n\t/tmp/hx/p/p.go:14 +0x2d\ncreated by ex/p.TestHang in goroutine 5\n\t/tmp/hx/p/p_test.go:20 +0x2d\n" // a dump's text: nothing sleeps here, in real or bubble time
	withSleeper := dumpOutput + sleeper
	deadlocked, _, _ := classifyDump(withSleeper)
	require.False(t, deadlocked, "a sleeping goroutine may still act: not every goroutine is blocked")
	for _, tc := range []struct {
		name string
		dump string
		want bool
	}{
		{"test and sender wait, a poller sleeps", withSleeper, true},
		{"the other waits in a select, which may hold a timer", strings.Replace(withSleeper, "[chan send, 2 minutes]", "[select]", 1), false},
		{"a goroutine runs", strings.Replace(withSleeper, "[sleep]", "[runnable]", 1), false},
		{"the test itself sleeps", strings.Replace(withSleeper, "[sync.Mutex.Lock]", "[sleep]", 1), false},
		{"the test waits on a ticker's select", strings.Replace(withSleeper, "[sync.Mutex.Lock]", "[select]", 1), true},
		{"the sender's creator stack holds tRunner (tracebackancestors)", strings.Replace(withSleeper, "\t/tmp/hx/p/p_test.go:21 +0x2d\n",
			"\t/tmp/hx/p/p_test.go:21 +0x2d\n[originating from goroutine 5]:\nex/p.TestHang(...)\n\t/tmp/hx/p/p_test.go:21 +0x2d\ntesting.tRunner(...)\n\t/usr/local/go/src/testing/testing.go:2039 +0x21d\n", 1), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, partialDeadlock(tc.dump))
		})
	}
}

func TestShardsPartitionTheTests(t *testing.T) {
	seen := map[string]int{}
	for i := range 3 {
		for _, name := range []string{"TestA", "TestB", "TestC", "TestD", "TestE"} {
			if shardOf("p", name, 3) == i {
				seen[name]++
			}
		}
	}
	for _, n := range seen {
		assert.Equal(t, 1, n)
	}
	assert.Len(t, seen, 5)
}

func TestFailureTextIsBounded(t *testing.T) {
	long := strings.Repeat("goroutine 7 in state running, ", 20)
	out := "=== RUN   TestP\n    p_test.go:5: \n        \tError:      \tShould be zero, but was 1\n        \tMessages:   \trunning: " + long + "\n--- FAIL: TestP (0.00s)\n"
	e := first(parseOutput(out, "TestP"))
	require.NotNil(t, e)
	assert.True(t, strings.HasPrefix(e.message, "TestP failed: p_test.go:5: Should be zero, but was 1; running: goroutine 7"), e.message)
	assert.True(t, strings.HasSuffix(e.message, "…"), "a long message is cut: %s", e.message)
	assert.LessOrEqual(t, len(e.message), len("TestP failed: ")+maxFailureText+len("…"))
}
