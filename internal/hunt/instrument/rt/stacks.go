//go:build conclabhunt

package rt

import (
	"fmt"
	"runtime"
	"strings"
)

// frames renders pcs without this runtime's and package sync's frames.
func frames(pcs []uintptr) []runtime.Frame {
	n := 0
	for n < len(pcs) && pcs[n] != 0 {
		n++
	}
	var out []runtime.Frame
	fs := runtime.CallersFrames(pcs[:n])
	for {
		f, more := fs.Next()
		if !strings.Contains(f.Function, "conclabhuntrt.") && !strings.HasPrefix(f.Function, "sync.") {
			out = append(out, f)
		}
		if !more {
			return out
		}
	}
}

func site(pcs []uintptr) string {
	fs := frames(pcs)
	if len(fs) == 0 {
		return "?"
	}
	return fmt.Sprintf("%s:%d", fs[0].File, fs[0].Line)
}

func stackOf(title string, pcs []uintptr) string {
	var b strings.Builder
	b.WriteString(title + ":\n")
	for _, f := range frames(pcs) {
		fmt.Fprintf(&b, "%s(...)\n\t%s:%d\n", f.Function, f.File, f.Line)
	}
	return b.String()
}

func reportCycle(cycle []edge) {
	var parts, stacks []string
	for _, e := range cycle {
		parts = append(parts, fmt.Sprintf("goroutine %d took lock %d at %s, then lock %d at %s", e.g, e.from, site(e.fromPCs[:]), e.to, site(e.toPCs[:])))
		stacks = append(stacks,
			stackOf(fmt.Sprintf("goroutine %d holding lock %d", e.g, e.from), e.fromPCs[:]),
			stackOf(fmt.Sprintf("goroutine %d taking lock %d", e.g, e.to), e.toPCs[:]))
	}
	report(KindLockOrder, fmt.Sprintf("lock-order cycle: %s", strings.Join(parts, "; ")), stacks)
}
