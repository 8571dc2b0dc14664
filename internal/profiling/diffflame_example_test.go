package profiling_test

import (
	"fmt"
	"time"

	"github.com/conclab/conclab/internal/profiling"
)

// Shares, not seconds, are compared: the new profile is twice as long, yet
// only the function whose part of the work grew is named first, and the
// one that shrank last.
func ExampleDiffFrames() {
	base := fakeCPU(time.Second,
		stack{[]string{"main.parse", "main.main"}, 50},
		stack{[]string{"main.render", "main.main"}, 50},
	)
	head := fakeCPU(2*time.Second,
		stack{[]string{"main.parse", "main.main"}, 140},
		stack{[]string{"main.render", "main.main"}, 60},
	)
	deltas, err := profiling.DiffFrames(base, head)
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
