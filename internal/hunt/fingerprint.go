package hunt

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
)

// A Frame is one user frame of a finding's witness stacks: the function and
// where it was, as the traceback printed it (an absolute path for a frame of
// the user's module).
type Frame struct {
	Func string
	File string
	Line int
}

// A Witness is one stack of a finding: its header as the report printed it
// ("Read at 0x… by goroutine 9:", "goroutine 6 [chan send]:") and its user
// frames, innermost first.
type Witness struct {
	Header string
	Frames []Frame
}

// Witnesses splits the finding's stacks into one witness per goroutine or
// access (a race report is one stack of several, separated by blank lines).
// A witness without user frames is left out.
func (f *Finding) Witnesses() []Witness {
	var ws []Witness
	for _, st := range f.Stacks {
		var w Witness
		flush := func() {
			if len(w.Frames) > 0 {
				ws = append(ws, w)
			}
			w = Witness{}
		}
		lines := strings.Split(st, "\n")
		for i := 0; i < len(lines); i++ {
			t := strings.TrimSpace(lines[i])
			switch fn := funcName(t); {
			case t == "":
				flush()
			case fn != "" && i+1 < len(lines) && isFileLine(lines[i+1]):
				i++
				if isInfra(fn) {
					continue
				}
				file, line := splitFileLine(lines[i])
				w.Frames = append(w.Frames, Frame{Func: fn, File: file, Line: line})
			case len(w.Frames) == 0 && w.Header == "":
				w.Header = t
			}
		}
		flush()
	}
	return ws
}

// splitFileLine reads "/dir/file.go:12 +0x1f".
func splitFileLine(s string) (file string, line int) {
	s, _, _ = strings.Cut(strings.TrimSpace(s), " ")
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return s, 0
	}
	n, err := strconv.Atoi(s[i+1:])
	if err != nil {
		return s, 0
	}
	return s[:i], n
}

// FingerprintVersion names the fingerprint's recipe; it changes when the
// recipe does, so that a baseline written by another recipe matches nothing
// rather than the wrong findings.
const FingerprintVersion = "conclab-hunt/v1"

// Fingerprint identifies the bug behind a finding across runs: a hash of
// its kind, package and test and of the set of functions in its user
// frames. The seed, the run, GOMAXPROCS, goroutine ids, addresses and line
// numbers are left out, so the same bug found by another schedule, or after
// an edit elsewhere in the file, has the same fingerprint; which of two
// racing accesses is reported first does not matter either. A finding
// without stacks (a failure) is its kind, package and test.
func (f *Finding) Fingerprint() string {
	var funcs []string
	for _, w := range f.Witnesses() {
		for _, fr := range w.Frames {
			funcs = append(funcs, fr.Func)
		}
	}
	slices.Sort(funcs)
	funcs = slices.Compact(funcs)
	h := sha256.New()
	for _, s := range append([]string{FingerprintVersion, string(f.Kind), f.Package, f.Test}, funcs...) {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}
