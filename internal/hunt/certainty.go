package hunt

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/conclab/conclab/internal/hunt/instrument/rt"
)

// A Certainty says how sure a finding is that it shows a defect of the code
// under test, as against the test's own hygiene or its timing margins: the
// "certainty" of a finding in every format.
type Certainty string

// The certainties, from the surest. See docs/detectors.md ("How sure a
// finding is").
const (
	// Definite: the evidence is a proof. A race report (the race
	// detector reports only accesses it saw unordered), a panic, a
	// lock-order cycle or double Lock, a hang, and a leaked goroutine
	// blocked on what no live goroutine can reach (Go's goroutineleak
	// profile, where the toolchain has it).
	Definite Certainty = "definite"
	// Releasable: a leaked goroutine the test could still have ended. A
	// call of the test (a constructor, or a method of what it built)
	// started it, the type has a Close, Stop, Release, Wait... method, and
	// the test never calls it: test hygiene, unless that call is missing
	// from the package's documented use.
	Releasable Certainty = "releasable"
	// TimingDependent: a failure, or a leak hunt cannot prove, in a test
	// that measures or waits on time (time.Sleep, time.After, deadlines,
	// durations compared), or whose failure names a duration or a
	// timeout: it depends on wall-clock or mock-clock margins that a
	// perturbed schedule stretches.
	TimingDependent Certainty = "timing-dependent"
	// Likely: what the detector saw, without a proof either way: a failure
	// under some schedule in a test that does not use time, a leak whose
	// goroutines are still reachable (a global, a timer) or on a
	// toolchain without the goroutineleak profile.
	Likely Certainty = "likely"
)

// Certainties lists the certainties in the order of the documentation.
var Certainties = []Certainty{Definite, Releasable, TimingDependent, Likely}

// releaseMethods are the method names that end what a constructor started.
var releaseMethods = []string{"Close", "Stop", "Release", "ReleaseTimeout", "Shutdown", "Wait", "Cancel", "Quit", "Terminate", "Dispose"}

// classify sets f's Certainty and Why from its kind, its stacks and the
// sources: the test's, in pkgDir, and those its frames name.
func classify(f *Finding, pkgDir string) {
	f.Certainty, f.Why = certainty(f, pkgDir)
}

func certainty(f *Finding, pkgDir string) (Certainty, string) {
	switch f.Kind {
	case KindRace:
		return Definite, "the race detector saw the two accesses with nothing ordering them"
	case KindLockOrder:
		return Definite, "the lock graph has the cycle or the second Lock it names"
	case KindDeadlock:
		return Definite, "no goroutine of the test made progress"
	case KindPanic:
		return Definite, "the program panicked"
	case KindLeak:
		return leakCertainty(f, pkgDir)
	}
	if why := timingUse(pkgDir, f.Test); why != "" {
		return TimingDependent, why
	}
	if d := timingWords.FindString(f.Message); d != "" {
		return TimingDependent, fmt.Sprintf("the failure names a duration or a timeout (%q): it depends on a timing margin", d)
	}
	return Likely, "the test failed under this schedule; hunt cannot tell the code's fault from the test's"
}

// timingWords finds a duration ("1.5ms", "250µs", "2s") or a timeout in a
// failure's message.
var timingWords = regexp.MustCompile(`\b\d+(?:\.\d+)?(?:ns|µs|us|ms|s|m|h)\b|(?i)\b(?:deadline exceeded|timed out|timeout)\b`)

// leakCertainty labels a leak by its surest goroutine: one the
// goroutineleak profile found unreachable and the test did not start
// through something it could release makes it definite; else one the test
// could release makes it releasable; else a sleeping one or a test that
// uses time makes it timing-dependent.
func leakCertainty(f *Finding, pkgDir string) (Certainty, string) {
	var releasable, sleeping string
	for _, g := range rt.ParseGoroutines(strings.Join(f.Stacks, "\n\n")) {
		if why := releasableBy(&g); why != "" {
			if releasable == "" {
				releasable = why
			}
			continue
		}
		if strings.Contains(g.State, "(leaked)") {
			return Definite, fmt.Sprintf("goroutine %d waits (%s) on what no live goroutine can reach (goroutineleak profile): nothing can ever release it", g.ID, rt.BaseState(g.State))
		}
		if rt.Classify(g.State) == rt.WaitSleep && sleeping == "" {
			sleeping = fmt.Sprintf("goroutine %d sleeps: it may end by itself after the grace period", g.ID)
		}
	}
	switch {
	case releasable != "":
		return Releasable, releasable
	case sleeping != "":
		return TimingDependent, sleeping
	}
	if why := timingUse(pkgDir, f.Test); why != "" {
		return TimingDependent, why
	}
	return Likely, "its goroutines are still reachable, or the toolchain has no goroutineleak profile: hunt cannot prove nothing will release them"
}

// timeCalls are the functions of package time, and context's, whose use
// makes a test's outcome depend on a timing margin.
var timeCalls = map[string][]string{
	"time":    {"Sleep", "After", "AfterFunc", "NewTimer", "NewTicker", "Tick", "Since", "Until", "Now", "Nanosecond", "Microsecond", "Millisecond", "Second", "Minute", "Hour"},
	"context": {"WithTimeout", "WithDeadline", "WithTimeoutCause", "WithDeadlineCause"},
}

// timingUse says where test (a top-level test, or one of its subtests) in
// the _test.go files of pkgDir uses time: "the test uses time.Sleep,
// time.Since (x_test.go:12): ...", or "" when it does not.
func timingUse(pkgDir, test string) string {
	if pkgDir == "" {
		return ""
	}
	top, _, _ := strings.Cut(test, "/")
	fset := token.NewFileSet()
	names, _ := filepath.Glob(filepath.Join(pkgDir, "*_test.go"))
	for _, name := range names {
		src, err := os.ReadFile(name)
		if err != nil || !strings.Contains(string(src), "func "+top+"(") {
			continue
		}
		f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
		if err != nil {
			continue
		}
		local := map[string]string{} // local name -> import path of time and context
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if _, ok := timeCalls[path]; !ok {
				continue
			}
			n := path
			if imp.Name != nil {
				n = imp.Name.Name
			}
			local[n] = path
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv != nil || fd.Name.Name != top || fd.Body == nil {
				continue
			}
			var uses []string
			first := 0
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				s, ok := n.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				x, ok := s.X.(*ast.Ident)
				if !ok {
					return true
				}
				path, ok := local[x.Name]
				if !ok || !slices.Contains(timeCalls[path], s.Sel.Name) {
					return true
				}
				use := path + "." + s.Sel.Name
				if !slices.Contains(uses, use) {
					uses = append(uses, use)
				}
				if first == 0 {
					first = fset.Position(s.Pos()).Line
				}
				return true
			})
			if len(uses) == 0 {
				return ""
			}
			if len(uses) > 3 {
				uses = append(uses[:3], "…")
			}
			return fmt.Sprintf("the test uses %s (%s:%d): its outcome depends on wall-clock or mock-clock margins", strings.Join(uses, ", "), filepath.Base(name), first)
		}
	}
	return ""
}
