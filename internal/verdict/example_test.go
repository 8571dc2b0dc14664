package verdict_test

import (
	"fmt"
	"time"

	"github.com/conclab/conclab/internal/verdict"
)

// Five interleaved runs at 1 worker and at 2: the speed-up is the ratio of
// the medians, and the claim holds only if its whole interval clears the
// threshold. The same runs on a machine that other programs kept busy
// decide nothing.
func ExampleJudge() {
	processes := verdict.Claim{
		Text: "processes use both cores", Threshold: 1.5, Unit: "×",
		Yes: "Python needs processes for the cores; Go does not",
		No:  "Python processes did not use the cores",
	}
	one := []float64{2.00, 2.03, 1.97, 2.01, 1.99} // seconds at 1 worker
	two := []float64{1.05, 1.02, 1.07, 1.04, 1.03} // seconds at 2
	quiet := verdict.Load{Other: 50 * time.Millisecond, Wall: 10 * time.Second, Known: true}
	busy := verdict.Load{Other: 10 * time.Second, Wall: 10 * time.Second, Known: true}

	fmt.Println(verdict.Judge(processes, one, two, quiet).Outcome)
	fmt.Println(verdict.Judge(processes, one, two, busy).Outcome)
	// Output:
	// yes
	// inconclusive
}

// Nine interleaved reps, each timing 1 worker and then 2 moments apart.
// The machine drifts slower over the reps, which widens a ratio of medians
// past the threshold; each rep's own ratio cancels the drift, and one rep
// measured while another program was busy is left out.
func ExampleJudgePaired() {
	processes := verdict.Claim{Text: "processes use both cores", Threshold: 1.5, Unit: "×",
		Yes: "Python needs processes for the cores", No: "Python processes did not use the cores"}
	one := []float64{1.60, 1.66, 1.72, 1.79, 1.86, 1.93, 2.00, 2.08, 2.16}
	two := []float64{0.95, 0.98, 1.03, 1.06, 1.40, 1.14, 1.18, 1.24, 1.27}
	quiet := verdict.Load{Other: 20 * time.Millisecond, Wall: 2 * time.Second, Known: true}
	busy := verdict.Load{Other: 2 * time.Second, Wall: 2 * time.Second, Known: true}
	loads := []verdict.Load{quiet, quiet, quiet, quiet, busy, quiet, quiet, quiet, quiet}
	all := verdict.Load{Other: 2160 * time.Millisecond, Wall: 18 * time.Second, Known: true}

	fmt.Println(verdict.Judge(processes, one, two, all))
	fmt.Println(verdict.JudgePaired(processes, one, two, loads, all))
	// Output:
	// inconclusive processes use both cores: 1.63× [1.41, 1.94] ≥ 1.5 — the interval [1.41, 1.94] straddles the threshold 1.5
	// yes          processes use both cores: 1.69× [1.68, 1.7] ≥ 1.5 — Python needs processes for the cores
}
