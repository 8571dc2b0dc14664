package scale

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFitUSLRecoversTheLaw(t *testing.T) {
	for _, tc := range []struct {
		name         string
		sigma, kappa float64
		ns           []int
	}{
		{"contention-and-coherency", 0.05, 0.002, []int{1, 2, 4, 8, 16, 32, 64}},
		{"serial-section", 0.5, 0.0001, []int{1, 2, 4, 8}},
		{"coherency-peak", 0.02, 0.01, []int{1, 2, 4, 8, 16, 32}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const lambda = 1e6
			var pts []Throughput
			for _, n := range tc.ns {
				pts = append(pts, Throughput{N: n, PerOp: lambda * uslSpeedup(tc.sigma, tc.kappa, float64(n))})
			}
			u, err := FitUSL(pts)
			require.NoError(t, err)
			assert.InEpsilon(t, tc.sigma, u.Sigma, 0.05, "σ within 5 %")
			assert.InEpsilon(t, tc.kappa, u.Kappa, 0.05, "κ within 5 %")
			assert.InEpsilon(t, lambda, u.Lambda, 1e-9)
			assert.InDelta(t, 1, u.R2, 1e-6)
			n, x, ok := u.Peak()
			require.True(t, ok)
			want := lambda * uslSpeedup(tc.sigma, tc.kappa, n)
			assert.InEpsilon(t, want, x, 1e-6)
		})
	}
}

func TestFitUSLRefuses(t *testing.T) {
	_, err := FitUSL([]Throughput{{1, 100}, {2, 180}})
	assert.ErrorIs(t, err, ErrTooFewCores, "two core counts cannot support a fit")

	_, err = FitUSL([]Throughput{{1, 100}, {1, 100}, {2, 180}, {2, 185}})
	assert.ErrorIs(t, err, ErrTooFewCores, "repeats at two core counts are still two core counts")

	_, err = FitUSL([]Throughput{{2, 100}, {4, 180}, {8, 200}})
	assert.ErrorContains(t, err, "n = 1")

	// A zig-zag no curve of the law follows.
	_, err = FitUSL([]Throughput{{1, 100}, {1, 100}, {2, 400}, {2, 50}, {4, 20}, {4, 600}})
	assert.ErrorContains(t, err, "too noisy")
}

func TestDefaultProcs(t *testing.T) {
	for _, tc := range []struct {
		cores int
		want  []int
	}{{1, []int{1, 2}}, {2, []int{1, 2, 4}}, {4, []int{1, 2, 4, 8}}, {6, []int{1, 2, 4, 6, 8}}, {64, []int{1, 2, 4, 8, 16, 32, 64, 128}}} {
		assert.Equal(t, tc.want, DefaultProcs(tc.cores), "cores=%d", tc.cores)
	}
}
