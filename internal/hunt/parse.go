package hunt

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/conclab/conclab/internal/hunt/instrument/rt"
)

// An event is one finding in a child's output, before it becomes a Finding.
type event struct {
	kind    Kind
	message string
	stacks  []string
	iter    int // 0-based iteration of -test.count it happened in
	pos     int // byte offset in the output
}

// first returns the event of the earliest iteration, the most telling kind
// among those of that iteration.
func first(events []event) *event {
	var best *event
	for i := range events {
		e := &events[i]
		if best == nil || e.iter < best.iter || e.iter == best.iter && priority(e.kind) < priority(best.kind) {
			best = e
		}
	}
	return best
}

const raceSep = "=================="

// raceEcho is what the testing package logs when it fails a test for a race
// the race detector reported.
const raceEcho = "race detected during execution of test"

var (
	failLine   = regexp.MustCompile(`(?m)^\s*--- FAIL: (\S+)`)
	panicLine  = regexp.MustCompile(`(?m)^panic: (.*)$`)
	fatalLine  = regexp.MustCompile(`(?m)^fatal error: (.*)$`)
	raceHeader = regexp.MustCompile(`(?m)^WARNING: DATA RACE$`)
)

// parseOutput finds races, panics, fatal errors and failures in the combined
// output of a child that ran test under -test.v.
func parseOutput(out, test string) []event {
	runs := runPositions(out, test)
	iter := func(pos int) int {
		n := 0
		for _, p := range runs {
			if p < pos {
				n++
			}
		}
		return max(n-1, 0)
	}
	var events []event
	for _, m := range raceHeader.FindAllStringIndex(out, -1) {
		block := out[m[1]:]
		if end := strings.Index(block, "\n"+raceSep); end >= 0 {
			block = block[:end]
		}
		events = append(events, event{
			kind: KindRace, message: raceMessage(block), stacks: []string{trimStack(strings.TrimSpace(block))},
			iter: iter(m[0]), pos: m[0],
		})
	}
	for _, m := range panicLine.FindAllStringSubmatchIndex(out, -1) {
		msg := out[m[2]:m[3]]
		events = append(events, event{
			kind: KindPanic, message: "panic: " + msg, stacks: firstGoroutine(out[m[1]:]),
			iter: iter(m[0]), pos: m[0],
		})
	}
	for _, m := range fatalLine.FindAllStringSubmatchIndex(out, -1) {
		msg := out[m[2]:m[3]]
		kind := KindPanic
		stacks := firstGoroutine(out[m[1]:])
		if strings.Contains(msg, "all goroutines are asleep") {
			kind = KindDeadlock
			_, msg, stacks = classifyDump(out[m[1]:])
			msg = "all goroutines are asleep: " + msg
		} else {
			msg = "fatal error: " + msg
		}
		events = append(events, event{kind: kind, message: msg, stacks: stacks, iter: iter(m[0]), pos: m[0]})
	}
	for _, m := range failLine.FindAllStringSubmatchIndex(out, -1) {
		name := out[m[2]:m[3]]
		if name != test && !strings.HasPrefix(name, test+"/") {
			continue
		}
		text := failureText(out[:m[0]], out[m[1]:])
		if strings.Contains(text, raceEcho) {
			continue // the race's own report is the finding
		}
		events = append(events, event{
			kind: KindFailure, message: name + " failed: " + text,
			iter: iter(m[0]), pos: m[0],
		})
	}
	return events
}

// runPositions returns the offsets of the "=== RUN   TEST" lines that start
// each iteration of test.
func runPositions(out, test string) []int {
	var pos []int
	marker := "=== RUN   " + test + "\n"
	for off := 0; ; {
		i := strings.Index(out[off:], marker)
		if i < 0 {
			return pos
		}
		if off+i == 0 || out[off+i-1] == '\n' {
			pos = append(pos, off+i)
		}
		off += i + len(marker)
	}
}

var logLine = regexp.MustCompile(`^\s+\S+\.go:\d+: `)

// failureText returns the first log line a failed test printed: -test.v
// streams them before the "--- FAIL" line; without it they follow.
func failureText(before, rest string) string {
	prev := strings.Split(before, "\n")
	at, printed := -1, ""
	for i := len(prev) - 1; i >= 0 && i >= len(prev)-200; i-- {
		l := prev[i]
		if strings.HasPrefix(l, "=== RUN") || strings.HasPrefix(l, "=== CONT") || strings.HasPrefix(l, "--- ") {
			break
		}
		if logLine.MatchString(l) {
			at = i
		}
		if t := strings.TrimSpace(l); printed == "" && t != "" && !strings.HasPrefix(t, "=== ") && !strings.HasPrefix(t, "conclab-hunt: ") {
			printed = t
		}
	}
	if at >= 0 {
		return logText(prev[at:])
	}
	lines := strings.Split(rest, "\n")
	if len(lines) > 1 {
		l := strings.TrimSpace(lines[1])
		if l != "" && !strings.HasPrefix(l, "=== ") && !strings.HasPrefix(l, "--- ") && l != "FAIL" && l != "PASS" && !strings.HasPrefix(l, "exit status ") {
			return l
		}
	}
	if printed != "" {
		return "last printed: " + logText([]string{printed})
	}
	return "no message (t.Fail or t.FailNow without a log line, or a failed subtest's own)"
}

// maxFailureText bounds what a failure's message keeps of the log.
const maxFailureText = 240

// logText returns a log line, and when the line says no more than where it
// was logged (testify's assertions write their message on the lines that
// follow), what its "Error:" and "Messages:" say, or else its next line,
// on one line.
func logText(lines []string) string {
	head := strings.TrimSpace(lines[0])
	if !strings.HasSuffix(head, ":") {
		return head
	}
	var parts []string
	key, last := "", ""
	for _, raw := range lines[1:] {
		l := strings.TrimSpace(raw)
		if logLine.MatchString(raw) {
			break
		}
		if l == "" {
			continue
		}
		if k, v, ok := strings.Cut(l, ":"); ok && testifyKey(k) {
			key, l = k, strings.TrimSpace(v)
		}
		if key == "" {
			parts = append(parts, l) // not testify: the next line says what failed
			break
		}
		if (key == "Error" || key == "Messages") && l != "" {
			if key == "Messages" && last == "Error" {
				parts[len(parts)-1] += ";"
			}
			parts = append(parts, l)
			last = key
		}
	}
	text := strings.Join(strings.Fields(head+" "+strings.Join(parts, " ")), " ")
	if n := maxFailureText; len(text) > n {
		for !utf8.RuneStart(text[n]) {
			n--
		}
		text = text[:n] + "…"
	}
	return text
}

// testifyKey reports whether k is one of the keys testify's assertions label
// the lines of their message with.
func testifyKey(k string) bool {
	switch k {
	case "Error Trace", "Error", "Test", "Messages", "Diff":
		return true
	}
	return false
}

// runtimeAccess names the operation behind a race report's access when the
// access is the runtime's own, made on the user's behalf: a send racing a
// close shows as a read racing a write, both at the runtime's functions.
func runtimeAccess(fn string) string {
	for _, op := range []struct{ prefix, name string }{
		{"runtime.closechan", "close of channel"},
		{"runtime.chansend", "send on channel"},
		{"runtime.chanrecv", "receive from channel"},
		{"runtime.chanlen", "len of channel"},
		{"runtime.mapaccess", "map read"},
		{"runtime.mapassign", "map write"},
		{"runtime.mapdelete", "map delete"},
		{"runtime.mapiterinit", "map range"},
		{"runtime.mapclear", "map clear"},
	} {
		if strings.HasPrefix(fn, op.prefix) {
			return op.name
		}
	}
	return ""
}

// raceMessage sums up a race report: the two accesses, each at its first
// user frame.
func raceMessage(block string) string {
	var parts []string
	lines := strings.Split(block, "\n")
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if !strings.Contains(t, " at 0x") || !strings.Contains(t, " by ") {
			continue
		}
		access := strings.ToLower(t[:strings.Index(t, " at 0x")])
		if i+1 < len(lines) {
			if op := runtimeAccess(funcName(lines[i+1])); op != "" {
				prev, _ := strings.CutSuffix(access, strings.TrimPrefix(access, "previous "))
				access = prev + op
			}
		}
		parts = append(parts, fmt.Sprintf("%s at %s", access, firstUserLocation(lines[i+1:])))
		if len(parts) == 2 {
			break
		}
	}
	if len(parts) == 0 {
		return "data race"
	}
	return "data race: " + strings.Join(parts, " vs ")
}

// firstGoroutine returns the first goroutine trace in s, trimmed.
func firstGoroutine(s string) []string {
	if gs := rt.ParseGoroutines(s); len(gs) > 0 {
		return []string{trimStack(gs[0].Text)}
	}
	return nil
}
