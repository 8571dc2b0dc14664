package instrument

// This file is also injected, with its package clause changed, into the
// runtime that hunted test binaries carry: it uses only the standard library
// and the language of Go 1.16 (no generics, no any, no min/max, no range over
// integers), because the runtime compiles at the hunted module's version.

import (
	"strconv"
	"strings"
)

// A Frame is one call of a goroutine's stack.
type Frame struct {
	Func string // "pkg/path.(*T).Method"
	File string
	Line int
}

// A Goroutine is one goroutine of a dump as runtime.Stack(buf, true) or a
// crashing Go program prints it.
type Goroutine struct {
	ID      int64
	State   string // "chan send", "sync.Mutex.Lock", ... without the wait time
	Minutes int    // the ", N minutes" the runtime adds after one minute blocked
	Frames  []Frame
	// CreatedBy is the go statement that started the goroutine (Func empty
	// for the main goroutine); CreatorID its goroutine, 0 when not printed.
	CreatedBy Frame
	CreatorID int64
}

// Kind is what a goroutine waits for, as Classify reports it.
type Kind string

// The kinds Classify returns. The first group waits for another goroutine
// and never for time or the outside world; Blocking reports them.
const (
	KindChanSend  Kind = "chan send"
	KindChanRecv  Kind = "chan receive"
	KindNilChan   Kind = "nil chan"
	KindSelect    Kind = "select"
	KindMutex     Kind = "mutex"
	KindRWMutex   Kind = "rwmutex"
	KindCond      Kind = "cond"
	KindWaitGroup Kind = "waitgroup"
	KindSema      Kind = "semaphore"

	KindRunning Kind = "running"
	KindSleep   Kind = "sleep"
	KindIO      Kind = "io"
	KindSyscall Kind = "syscall"
	KindOther   Kind = "other"
)

// Blocking reports whether k waits for another goroutine of the program.
func (k Kind) Blocking() bool {
	switch k {
	case KindChanSend, KindChanRecv, KindNilChan, KindSelect, KindMutex,
		KindRWMutex, KindCond, KindWaitGroup, KindSema:
		return true
	}
	return false
}

// Classify names what a goroutine in state waits for.
func Classify(state string) Kind {
	switch {
	case strings.HasSuffix(state, "(nil chan)"), state == "select (no cases)":
		return KindNilChan
	case state == "chan send":
		return KindChanSend
	case state == "chan receive":
		return KindChanRecv
	case state == "select":
		return KindSelect
	case state == "sync.Mutex.Lock":
		return KindMutex
	case strings.HasPrefix(state, "sync.RWMutex."):
		return KindRWMutex
	case state == "sync.Cond.Wait":
		return KindCond
	case state == "sync.WaitGroup.Wait":
		return KindWaitGroup
	case state == "semacquire":
		return KindSema
	case state == "running", state == "runnable", state == "preempted":
		return KindRunning
	case state == "sleep":
		return KindSleep
	case state == "IO wait":
		return KindIO
	case state == "syscall":
		return KindSyscall
	}
	return KindOther
}

// ParseGoroutines parses every goroutine of dump, ignoring any text around
// them.
func ParseGoroutines(dump string) []Goroutine {
	var gs []Goroutine
	var cur *Goroutine
	var pending string // a function line waiting for its file line
	lines := strings.Split(dump, "\n")
	for i := 0; i < len(lines); i++ {
		line := strings.TrimRight(lines[i], "\r")
		if g, ok := parseHeader(line); ok {
			if cur != nil {
				gs = append(gs, *cur)
			}
			cur = &g
			pending = ""
			continue
		}
		if cur == nil {
			continue
		}
		if line == "" {
			gs = append(gs, *cur)
			cur = nil
			continue
		}
		if strings.HasPrefix(line, "\t") {
			if pending == "" {
				continue
			}
			file, n := parseFileLine(line)
			if strings.HasPrefix(pending, "created by ") {
				fn := strings.TrimPrefix(pending, "created by ")
				if k := strings.Index(fn, " in goroutine "); k >= 0 {
					cur.CreatorID, _ = strconv.ParseInt(fn[k+len(" in goroutine "):], 10, 64)
					fn = fn[:k]
				}
				cur.CreatedBy = Frame{Func: fn, File: file, Line: n}
			} else {
				cur.Frames = append(cur.Frames, Frame{Func: funcName(pending), File: file, Line: n})
			}
			pending = ""
			continue
		}
		pending = line
	}
	if cur != nil {
		gs = append(gs, *cur)
	}
	return gs
}

// parseHeader parses "goroutine 7 [chan send, 2 minutes]:", also with the
// "gp=... m=..." fields GOTRACEBACK=system adds.
func parseHeader(line string) (Goroutine, bool) {
	if !strings.HasPrefix(line, "goroutine ") || !strings.HasSuffix(line, "]:") {
		return Goroutine{}, false
	}
	open := strings.Index(line, " [")
	if open < 0 {
		return Goroutine{}, false
	}
	idText := strings.TrimPrefix(line[:open], "goroutine ")
	if k := strings.IndexByte(idText, ' '); k >= 0 {
		idText = idText[:k]
	}
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil {
		return Goroutine{}, false
	}
	g := Goroutine{ID: id}
	for i, field := range strings.Split(line[open+2:len(line)-2], ", ") {
		if i == 0 {
			g.State = field
			continue
		}
		if strings.HasSuffix(field, " minutes") {
			g.Minutes, _ = strconv.Atoi(strings.TrimSuffix(field, " minutes"))
		}
	}
	return g, true
}

func funcName(line string) string {
	if strings.HasSuffix(line, ")") {
		if k := strings.LastIndexByte(line, '('); k > 0 {
			return line[:k]
		}
	}
	return line
}

func parseFileLine(line string) (string, int) {
	line = strings.TrimSpace(line)
	if k := strings.LastIndex(line, " +0x"); k >= 0 {
		line = line[:k]
	}
	k := strings.LastIndexByte(line, ':')
	if k < 0 {
		return line, 0
	}
	n, _ := strconv.Atoi(line[k+1:])
	return line[:k], n
}

// Top returns the innermost frame for which keep returns true, and false if
// there is none.
func (g *Goroutine) Top(keep func(Frame) bool) (Frame, bool) {
	for _, f := range g.Frames {
		if keep(f) {
			return f, true
		}
	}
	return Frame{}, false
}
