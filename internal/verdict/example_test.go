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
