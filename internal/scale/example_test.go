package scale_test

import (
	"fmt"

	"github.com/conclab/conclab/internal/scale"
)

// A benchmark's throughput at 1 to 16 cores, as the law with 5 % contention
// and a small coherency cost makes it: the fit recovers both and predicts
// where throughput peaks.
func ExampleFitUSL() {
	var points []scale.Throughput
	for _, n := range []int{1, 2, 4, 8, 16} {
		x := 1e6 * float64(n) / (1 + 0.05*float64(n-1) + 0.002*float64(n*(n-1)))
		points = append(points, scale.Throughput{N: n, PerOp: x})
	}
	u, err := scale.FitUSL(points)
	if err != nil {
		fmt.Println(err)
		return
	}
	n, x, _ := u.Peak()
	fmt.Printf("σ = %.3f, κ = %.4f, peak at n ≈ %.0f: %.2f× the throughput of one core\n", u.Sigma, u.Kappa, n, x/u.Lambda)

	_, err = scale.FitUSL(points[:2])
	fmt.Println(err)
	// Output:
	// σ = 0.050, κ = 0.0020, peak at n ≈ 22: 7.40× the throughput of one core
	// fewer than three core counts: too few to fit the Universal Scalability Law
}
