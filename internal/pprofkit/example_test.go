package pprofkit_test

import (
	"fmt"
	"time"

	"github.com/conclab/conclab/internal/pprofkit"
	"github.com/conclab/conclab/internal/pprofkit/pproftest"
)

// Effective parallelism is the CPU time a profile sampled divided by the
// wall time it covers: here 150 samples of 10 ms in one second, so one and
// a half cores were busy on average.
func ExampleAnalyzeCPU() {
	p := pproftest.CPU(time.Second,
		pproftest.Stack{Frames: []string{"github.com/conclab/conclab/scenarios.mix", "main.worker"}, Count: 120},
		pproftest.Stack{Frames: []string{"runtime.gcBgMarkWorker"}, Count: 30},
	)
	st, err := pprofkit.AnalyzeCPU(p, 1)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%.1f s of CPU in %.1f s: effective parallelism %.2f\n", st.CPUSeconds, st.WallSeconds, st.Parallelism)
	fmt.Printf("top: %s, %.1f s flat\n", pprofkit.ShortName(st.Top[0].Name), st.Top[0].Flat)
	// Output:
	// 1.5 s of CPU in 1.0 s: effective parallelism 1.50
	// top: scenarios.mix, 1.2 s flat
}
