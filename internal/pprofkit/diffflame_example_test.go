package pprofkit_test

import (
	"fmt"
	"time"

	"github.com/conclab/conclab/internal/pprofkit"
	"github.com/conclab/conclab/internal/pprofkit/pproftest"
)

// Shares, not seconds, are compared: the new profile is twice as long, yet
// only the function whose part of the work grew is named first, and the
// one that shrank last.
func ExampleDiffFrames() {
	base := pproftest.CPU(time.Second,
		pproftest.Stack{Frames: []string{"main.parse", "main.main"}, Count: 50},
		pproftest.Stack{Frames: []string{"main.render", "main.main"}, Count: 50},
	)
	head := pproftest.CPU(2*time.Second,
		pproftest.Stack{Frames: []string{"main.parse", "main.main"}, Count: 140},
		pproftest.Stack{Frames: []string{"main.render", "main.main"}, Count: 60},
	)
	deltas, err := pprofkit.DiffFrames(base, head)
	if err != nil {
		panic(err)
	}
	for _, d := range deltas {
		fmt.Printf("%-11s %3.0f%% → %3.0f%%  %+4.0f pp\n", d.Name, 100*d.Base, 100*d.Head, 100*d.Delta)
	}
	// Output:
	// main.parse   50% →  70%   +20 pp
	// main.main     0% →   0%    +0 pp
	// main.render  50% →  30%   -20 pp
}
