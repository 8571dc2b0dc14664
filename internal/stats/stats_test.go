package stats_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/internal/stats"
)

// The example of R's wilcox.test (Hollander & Wolfe's depression scores,
// paired): V = 40, one-sided p = 0.01953 = 10/512; R's conf.int = TRUE
// gives the pseudo-median 0.46 and the 95 % interval [0.010, 0.786].
var (
	hwX = []float64{1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30}
	hwY = []float64{0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29}
)

func diffs(x, y []float64) []float64 {
	d := make([]float64, len(x))
	for i := range x {
		d[i] = x[i] - y[i]
	}
	return d
}

func ones(n int) []float64 {
	d := make([]float64, n)
	for i := range d {
		d[i] = 1
	}
	return d
}

func TestSignedRankTest(t *testing.T) {
	for _, tc := range []struct {
		name  string
		d     []float64
		n     int
		w, p  float64
		exact bool
	}{
		{"hollander-wolfe", diffs(hwX, hwY), 9, 40, 10.0 / 512, true},
		{"five-positive", []float64{1, 2, 3, 4, 5}, 5, 15, 1.0 / 32, true},
		{"five-negative", []float64{-1, -2, -3, -4, -5}, 5, 0, 1, true},
		// n = 10, W+ = 45 is W− = 10: P(W ≤ 10) = 43/1024, the 0.042 of
		// the published tables (one-sided critical value 10 at 5 %).
		{"table-n10", []float64{-1, -2, -3, -4, 5, 6, 7, 8, 9, 10}, 10, 45, 43.0 / 1024, true},
		{"zeros-dropped", []float64{0, 1, 0, 2, 3, 4, 5}, 5, 15, 1.0 / 32, true},
		{"nan-dropped", []float64{math.NaN(), 1, 2, 3, 4, 5}, 5, 15, 1.0 / 32, true},
		// Ties share their mean rank and the distribution is that of
		// those ranks: {1, 3.5, 3.5, 3.5, 3.5, 6}; W+ = 17.5 is W− = 3.5,
		// and W− ≤ 3.5 takes no rank, the 1, or one of the four 3.5s: 6
		// of the 64 sign patterns.
		{"ties-exact", []float64{0.5, 1, -1, 1, 1, 2}, 6, 17.5, 6.0 / 64, true},
		// 60 ties at rank 30.5, all positive: W = 1830, mean 915,
		// variance 60·61·121/24 − (60³ − 60)/48 = 18452.5 − 4498.75,
		// z = (1830 − 915 − 0.5)/√13953.75, P(Z > z) = 4.4e-15.
		{"ties-normal", ones(60), 60, 1830, 0.5 * math.Erfc((1830-915-0.5)/math.Sqrt(13953.75)/math.Sqrt2), false},
		{"empty", nil, 0, 0, 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := stats.SignedRankTest(tc.d)
			assert.Equal(t, tc.n, r.N)
			assert.Equal(t, tc.w, r.W)
			assert.InDelta(t, tc.p, r.P, 1e-12)
			assert.Equal(t, tc.exact, r.Exact)
		})
	}
}

// The exact p-value counts every sign pattern; compare with brute force.
func TestSignedRankExactMatchesEnumeration(t *testing.T) {
	d := []float64{0.3, -0.1, 0.7, 0.2, -0.5, 0.9, 0.4, -0.6, 0.8, 1.0, -1.1, 1.2}
	n := len(d)
	w := stats.SignedRankTest(d).W
	atLeast := 0
	for mask := range 1 << n {
		s := 0
		for r := 1; r <= n; r++ {
			if mask&(1<<(r-1)) != 0 {
				s += r
			}
		}
		if float64(s) >= w {
			atLeast++
		}
	}
	assert.Equal(t, float64(atLeast)/float64(int(1)<<n), stats.SignedRankTest(d).P)
}

// Past 50 pairs the normal approximation takes over; at the boundary the
// two agree closely.
func TestSignedRankNormalNearExact(t *testing.T) {
	d := make([]float64, 51)
	for i := range d {
		d[i] = float64(i + 1)
		if i%3 == 0 {
			d[i] = -d[i]
		}
	}
	approx := stats.SignedRankTest(d)
	require.False(t, approx.Exact)
	exact := stats.SignedRankTest(d[:50])
	require.True(t, exact.Exact)
	assert.InDelta(t, exact.P, approx.P, 0.02)
}

func TestHodgesLehmann(t *testing.T) {
	s := stats.HodgesLehmann(diffs(hwX, hwY), 0.95)
	assert.InDelta(t, 0.46, s.Estimate, 1e-12)
	assert.InDelta(t, 0.010, s.Lo, 1e-12)
	assert.InDelta(t, 0.786, s.Hi, 1e-12)

	few := stats.HodgesLehmann([]float64{1, 2, 3}, 0.95)
	assert.Equal(t, 2.0, few.Estimate, "the median of the Walsh averages 1, 1.5, 2, 2, 2.5, 3")
	assert.True(t, math.IsInf(few.Lo, -1) && math.IsInf(few.Hi, 1), "3 pairs are too few for a 95 %% interval")
}

func TestAdjustBH(t *testing.T) {
	assert.InDeltaSlice(t, []float64{0.02, 0.04, 0.04, 0.02}, stats.AdjustBH([]float64{0.01, 0.04, 0.03, 0.005}), 1e-15)
	// Benjamini and Hochberg's (1995) example: 15 p-values, of which the
	// procedure at 0.05 rejects the four smallest.
	p := []float64{0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000}
	q := stats.AdjustBH(p)
	rejected := 0
	for _, v := range q {
		if v <= 0.05 {
			rejected++
		}
	}
	assert.Equal(t, 4, rejected)
	assert.InDelta(t, 0.0095*15/4, q[3], 1e-15)
	assert.Equal(t, 1.0, q[14])
	assert.Empty(t, stats.AdjustBH(nil))
}
