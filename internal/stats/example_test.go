package stats_test

import (
	"fmt"

	"github.com/conclab/conclab/internal/stats"
)

// The signed-rank test of R's wilcox.test example (paired differences of
// Hollander and Wolfe's depression scores), one-sided.
func ExampleSignedRankTest() {
	d := []float64{0.952, -0.147, 1.022, 0.43, 0.62, 0.59, 0.49, -0.08, 0.01}
	r := stats.SignedRankTest(d)
	fmt.Printf("W = %v, p = %.5f (exact: %v)\n", r.W, r.P, r.Exact)
	// Output:
	// W = 40, p = 0.01953 (exact: true)
}
