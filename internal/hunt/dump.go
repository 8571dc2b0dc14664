package hunt

import (
	"fmt"
	"regexp"
	"strings"
)

// A goroutine is one goroutine of a traceback.
type goroutine struct {
	id    string
	state string // "chan send", "sync.Mutex.Lock", ... without the wait time
	text  string
}

// splitGoroutines cuts a traceback into its goroutines.
func splitGoroutines(s string) []goroutine {
	var gs []goroutine
	var cur *goroutine
	var b strings.Builder
	flush := func() {
		if cur != nil {
			cur.text = strings.TrimRight(b.String(), "\n")
			gs = append(gs, *cur)
			cur = nil
		}
		b.Reset()
	}
	for line := range strings.SplitSeq(s, "\n") {
		if m := goHeader.FindStringSubmatch(line); m != nil {
			flush()
			state, _, _ := strings.Cut(m[2], ",")
			cur = &goroutine{id: m[1], state: state}
		} else if cur != nil && strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		if cur != nil {
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	flush()
	return gs
}

// blockedStates are the goroutine states that wait for another goroutine
// forever unless it acts.
var blockedStates = map[string]string{
	"chan send":                      "chan send",
	"chan receive":                   "chan receive",
	"chan send (nil chan)":           "chan send on nil channel",
	"chan receive (nil chan)":        "chan receive on nil channel",
	"select":                         "select",
	"select (no cases)":              "empty select",
	"sync.Mutex.Lock":                "Mutex.Lock",
	"sync.RWMutex.Lock":              "RWMutex.Lock",
	"sync.RWMutex.RLock":             "RWMutex.RLock",
	"sync.Cond.Wait":                 "Cond.Wait",
	"sync.WaitGroup.Wait":            "WaitGroup.Wait",
	"semacquire":                     "semacquire",
	"sync.(*Cond).Wait":              "Cond.Wait",
	"sync.(*WaitGroup).Wait":         "WaitGroup.Wait",
	"sync.(*Mutex).Lock":             "Mutex.Lock",
	"sync.(*RWMutex).Lock":           "RWMutex.Lock",
	"sync.(*RWMutex).RLock":          "RWMutex.RLock",
	"chan receive (synctest)":        "chan receive",
	"chan send (synctest)":           "chan send",
	"select (synctest)":              "select",
	"sync.WaitGroup.Wait (synctest)": "WaitGroup.Wait",
}

// classifyDump reads a goroutine dump (after SIGQUIT or the runtime's fatal
// deadlock) and says whether every goroutine of the user's code is blocked on
// another, with one line per blocked goroutine and their trimmed stacks.
// Goroutines with no user frame (the testing package's, the signal
// handler's, the hunt runtime's) are left out.
func classifyDump(dump string) (deadlocked bool, message string, stacks []string) {
	var parts []string
	user := 0
	deadlocked = true
	for _, g := range splitGoroutines(dump) {
		if !hasUserFrame(g.text) {
			continue
		}
		user++
		what, blocked := blockedStates[g.state]
		if !blocked {
			deadlocked = false
			what = g.state
		}
		loc := firstUserLocation(strings.Split(g.text, "\n")[1:])
		parts = append(parts, fmt.Sprintf("goroutine %s %s at %s", g.id, what, loc))
		stacks = append(stacks, trimStack(g.text))
	}
	if user == 0 {
		deadlocked = false
	}
	return deadlocked, fmt.Sprintf("%d goroutines blocked: %s", user, strings.Join(parts, "; ")), stacks
}

// infraPrefixes are the functions that are not the user's: the runtime, the
// testing package, the standard library's locks, the hunt runtime injected
// into the build.
var infraPrefixes = []string{
	"runtime.", "runtime/", "panic", "testing.", "internal/", "sync.", "sync/atomic.", "os/signal.", "syscall.",
	"reflect.", "time.", "main.main", "github.com/conclab/conclab/internal/hunt/instrument", "conclabhuntrt",
}

func isInfra(fn string) bool {
	for _, p := range infraPrefixes {
		if strings.HasPrefix(fn, p) {
			return true
		}
	}
	return strings.Contains(fn, "/conclabhuntrt.")
}

// funcName returns the function of a traceback line, or "" if the line is
// not a function line.
func funcName(line string) string {
	t := strings.TrimSpace(line)
	if t == "" || strings.HasPrefix(t, "/") || strings.HasPrefix(t, "goroutine ") || isFileLine(t) {
		return ""
	}
	t = strings.TrimPrefix(t, "created by ")
	if i := strings.Index(t, " in goroutine "); i >= 0 {
		t = t[:i]
	}
	if i := strings.LastIndex(t, "("); i > 0 && strings.HasSuffix(t, ")") {
		t = t[:i]
	}
	if strings.ContainsAny(t, " :") {
		return ""
	}
	return t
}

// partialDeadlock reads the goroutine dump of a run that outlived the hard
// timeout without every goroutine blocked, and says whether it hangs all the
// same: the test's goroutine waits, another goroutine of the user's code
// waits on a channel, a lock, a WaitGroup or a Cond (which only another
// goroutine can end, unlike a select, which may hold a timer's case), and
// none runs. The goroutines that kept the watchdog from calling it a
// deadlock sleep in a loop, or wait for a ticker or for I/O.
func partialDeadlock(dump string) bool {
	testWaits, otherWaits := false, false
	for _, g := range splitGoroutines(dump) {
		if !hasUserFrame(g.text) {
			continue
		}
		if g.state == "running" || g.state == "runnable" {
			return false
		}
		_, blocked := blockedStates[g.state]
		switch {
		case !blocked:
		case strings.Contains(g.text, "testing.tRunner("):
			testWaits = true
		case !strings.HasPrefix(g.state, "select"):
			otherWaits = true
		}
	}
	return testWaits && otherWaits
}

var (
	fileLine  = regexp.MustCompile(`^\S+\.\w+:\d+(?: |$)|^<autogenerated>`)
	frameJunk = regexp.MustCompile(` (?:fp|sp|pc|gp|m|mp)=\S+`)
)

// isFileLine reports whether a traceback line is a "/dir/file.go:12 +0x1f" line.
func isFileLine(t string) bool {
	return fileLine.MatchString(strings.TrimSpace(t))
}

func hasUserFrame(text string) bool {
	for line := range strings.SplitSeq(text, "\n") {
		if fn := funcName(line); fn != "" && !isInfra(fn) {
			return true
		}
	}
	return false
}

// firstUserLocation returns "file.go:12 (pkg.Func)" for the first user frame
// in lines, stopping at the first blank line.
func firstUserLocation(lines []string) string {
	for i, l := range lines {
		if strings.TrimSpace(l) == "" {
			break
		}
		fn := funcName(l)
		if fn == "" || isInfra(fn) || i+1 >= len(lines) || !isFileLine(lines[i+1]) {
			continue
		}
		f, _, _ := strings.Cut(strings.TrimSpace(lines[i+1]), " ")
		return fmt.Sprintf("%s (%s)", shortPath(f), shortFunc(fn))
	}
	return "?"
}

// shortPath keeps the last directory and the file of a path.
func shortPath(p string) string {
	parts := strings.Split(p, "/")
	if len(parts) > 2 {
		return strings.Join(parts[len(parts)-2:], "/")
	}
	return p
}

func shortFunc(fn string) string {
	if i := strings.LastIndex(fn, "/"); i >= 0 {
		return fn[i+1:]
	}
	return fn
}

// trimStack drops the frames that are not the user's (each a function line
// and its file line) from a traceback or race report, keeping headers.
func trimStack(s string) string {
	lines := strings.Split(s, "\n")
	var out []string
	for i := 0; i < len(lines); i++ {
		fn := funcName(lines[i])
		if fn != "" && i+1 < len(lines) && isFileLine(lines[i+1]) {
			if !isInfra(fn) {
				out = append(out, lines[i], lines[i+1])
			}
			i++
			continue
		}
		out = append(out, lines[i])
	}
	return frameJunk.ReplaceAllString(strings.TrimSpace(strings.Join(out, "\n")), "")
}
