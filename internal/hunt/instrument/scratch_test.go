package instrument_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/conclab/conclab/internal/hunt/instrument"
)

func TestScratch(t *testing.T) {
	work := t.TempDir()
	bin := buildHunted(t, work, "testdata/kernels", ".", instrument.Options{})
	for _, name := range []string{"TestMainRan", "TestABBA", "TestOrdered", "TestGuarded", "TestDoubleLock", "TestHandoff", "TestRecursiveRLock", "TestRLockers", "TestCond", "TestLeak", "TestNoLeak", "TestParallelLeak", "TestLateExit", "TestDeadlock", "TestChanDeadlock", "TestSlow", "TestRace", "TestExternalLeak", "TestExternalClean"} {
		r := runHunted(t, bin, "testdata/kernels", name, "CONCLAB_HUNT_YIELD=0.2")
		fmt.Printf("=== %s exit=%d\n", name, r.exit)
		for _, f := range r.findings {
			fmt.Printf("  %s [%s it%d]: %s\n", f.Kind, f.Test, f.Iteration, f.Message)
		}
		if r.exit != 0 && r.exit != 3 || strings.Contains(r.output, "DATA RACE") {
			fmt.Println(r.output)
		}
	}
}
