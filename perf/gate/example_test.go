package gate_test

import (
	"fmt"

	"github.com/conclab/conclab/perf/gate"
)

// Twelve rounds of a benchmark, old and new measured in each (ns/op): the
// new side is about 15 % slower in every round, through the noise.
func ExampleAssess() {
	s := &gate.Series{
		Name: "BenchmarkGate/counter/mutex",
		Old:  []float64{20.1, 19.8, 21.0, 20.4, 19.9, 20.6, 20.2, 20.0, 21.3, 19.7, 20.5, 20.1},
		New:  []float64{23.0, 22.9, 24.3, 23.2, 23.1, 23.9, 23.0, 23.3, 24.2, 22.4, 23.8, 23.2},
	}
	for _, f := range gate.Assess([]*gate.Series{s}, gate.DefaultRule, true) {
		fmt.Println(f)
	}
	// Output:
	// BenchmarkGate/counter/mutex: REGRESSION: ratio 1.150 [1.141, 1.159] (+15.0%), p=0.00024 q=0.00024 n=12: q ≤ α=0.05 and ratio ≥ floor 1.030
}
