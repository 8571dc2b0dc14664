package rt

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
	// Ancestors are the stacks of the goroutines that created it, as they
	// were at its go statement, innermost creator first: the dump has them
	// under GODEBUG=tracebackancestors=N.
	Ancestors []Ancestor
	// Text is the goroutine as the dump prints it, from its header line.
	Text string
}

// An Ancestor is the stack of a goroutine's creator at the go statement,
// as GODEBUG=tracebackancestors prints it ("[originating from goroutine
// N]:").
type Ancestor struct {
	ID        int64
	Frames    []Frame
	CreatedBy Frame // what started the creator, without a goroutine id
}

// CreationChain is where g came from, innermost first: the go statement
// that started it, then each ancestor's frames and its own go statement.
// Without ancestors in the dump it is the go statement alone.
func (g *Goroutine) CreationChain() []Frame {
	var chain []Frame
	if g.CreatedBy.Func != "" {
		chain = append(chain, g.CreatedBy)
	}
	for _, a := range g.Ancestors {
		chain = append(chain, a.Frames...)
		if a.CreatedBy.Func != "" {
			chain = append(chain, a.CreatedBy)
		}
	}
	return chain
}

// Wait is what a goroutine waits for, as Classify reports it.
type Wait string

// The waits Classify returns. The first group waits for another goroutine
// and never for time or the outside world; Blocking reports them.
const (
	WaitChanSend  Wait = "chan send"
	WaitChanRecv  Wait = "chan receive"
	WaitNilChan   Wait = "nil chan"
	WaitSelect    Wait = "select"
	WaitMutex     Wait = "mutex"
	WaitRWMutex   Wait = "rwmutex"
	WaitCond      Wait = "cond"
	WaitWaitGroup Wait = "waitgroup"
	WaitSema      Wait = "semaphore"

	WaitRunning Wait = "running"
	WaitSleep   Wait = "sleep"
	WaitIO      Wait = "io"
	WaitSyscall Wait = "syscall"
	WaitOther   Wait = "other"
)

// Blocking reports whether w waits for another goroutine of the program.
func (w Wait) Blocking() bool {
	switch w {
	case WaitChanSend, WaitChanRecv, WaitNilChan, WaitSelect, WaitMutex,
		WaitRWMutex, WaitCond, WaitWaitGroup, WaitSema:
		return true
	}
	return false
}

// stateSuffixes are what the runtime appends to a wait reason inside the
// brackets: a goroutine of a synctest bubble durably blocked, one the
// goroutineleak profile found unreachable, one whose stack is being scanned.
var stateSuffixes = []string{" (durable)", " (leaked)", " (scan)"}

// BaseState returns state without the suffixes the runtime may append to a
// wait reason (" (durable)", " (leaked)", " (scan)").
func BaseState(state string) string {
	for again := true; again; {
		again = false
		for _, s := range stateSuffixes {
			if strings.HasSuffix(state, s) {
				state = strings.TrimSuffix(state, s)
				again = true
			}
		}
	}
	return state
}

// Classify names what a goroutine in state waits for. It knows the wait
// reasons of Go 1.16 to 1.26, synctest's durable ones included.
func Classify(state string) Wait {
	switch state = BaseState(state); {
	case strings.HasSuffix(state, "(nil chan)"), state == "select (no cases)":
		return WaitNilChan
	case state == "chan send":
		return WaitChanSend
	case state == "chan receive":
		return WaitChanRecv
	case state == "select":
		return WaitSelect
	case state == "sync.Mutex.Lock", state == "sync.(*Mutex).Lock":
		return WaitMutex
	case strings.HasPrefix(state, "sync.RWMutex."), strings.HasPrefix(state, "sync.(*RWMutex)."):
		return WaitRWMutex
	case state == "sync.Cond.Wait", state == "sync.(*Cond).Wait":
		return WaitCond
	case state == "sync.WaitGroup.Wait", state == "sync.(*WaitGroup).Wait":
		return WaitWaitGroup
	case state == "semacquire":
		return WaitSema
	case state == "running", state == "runnable", state == "preempted":
		return WaitRunning
	case state == "sleep":
		return WaitSleep
	case state == "IO wait":
		return WaitIO
	case state == "syscall":
		return WaitSyscall
	}
	return WaitOther
}

// ParseGoroutines parses every goroutine of dump, ignoring any text around
// them.
func ParseGoroutines(dump string) []Goroutine {
	var gs []Goroutine
	var cur *Goroutine
	var pending string // a function line waiting for its file line
	lines := strings.Split(dump, "\n")
	from := 0 // the current goroutine's header line
	flush := func(to int) {
		if cur != nil {
			cur.Text = strings.TrimRight(strings.Join(lines[from:to], "\n"), "\r\n")
			gs = append(gs, *cur)
			cur = nil
		}
	}
	for i := 0; i < len(lines); i++ {
		line := strings.TrimRight(lines[i], "\r")
		if g, ok := parseHeader(line); ok {
			flush(i)
			cur, from, pending = &g, i, ""
			continue
		}
		if cur == nil {
			continue
		}
		if strings.TrimSpace(line) == "" {
			flush(i)
			continue
		}
		if id, ok := strings.CutPrefix(line, "[originating from goroutine "); ok && strings.HasSuffix(id, "]:") {
			n, _ := strconv.ParseInt(strings.TrimSuffix(id, "]:"), 10, 64)
			cur.Ancestors = append(cur.Ancestors, Ancestor{ID: n})
			pending = ""
			continue
		}
		if strings.HasPrefix(line, "\t") {
			if pending == "" {
				continue
			}
			file, n := parseFileLine(line)
			var anc *Ancestor
			if k := len(cur.Ancestors); k > 0 {
				anc = &cur.Ancestors[k-1]
			}
			switch {
			case strings.HasPrefix(pending, "created by ") && anc != nil:
				anc.CreatedBy = Frame{Func: strings.TrimPrefix(pending, "created by "), File: file, Line: n}
			case strings.HasPrefix(pending, "created by "):
				fn := strings.TrimPrefix(pending, "created by ")
				if k := strings.Index(fn, " in goroutine "); k >= 0 {
					cur.CreatorID, _ = strconv.ParseInt(fn[k+len(" in goroutine "):], 10, 64)
					fn = fn[:k]
				}
				cur.CreatedBy = Frame{Func: fn, File: file, Line: n}
			case anc != nil:
				anc.Frames = append(anc.Frames, Frame{Func: funcName(pending), File: file, Line: n})
			default:
				cur.Frames = append(cur.Frames, Frame{Func: funcName(pending), File: file, Line: n})
			}
			pending = ""
			continue
		}
		pending = line
	}
	flush(len(lines))
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
