package stats

import (
	"math"
	"slices"
)

// exactMax is the largest number of pairs whose signed-rank distribution is
// counted exactly: 2^50 subsets still count exactly in a float64.
const exactMax = 50

// SignedRank is the result of a one-sided Wilcoxon signed-rank test of
// paired differences against a median of zero, the alternative being a
// median above zero.
type SignedRank struct {
	// N is the number of differences that are not zero (zeros are dropped,
	// as in Wilcoxon's test).
	N int
	// W is the sum of the ranks of the positive differences, ranked by
	// absolute value (ties share their mean rank).
	W float64
	// P is the probability of a W at least this large when the median is
	// zero: exact when N ≤ 50 (given the ties, if any: the distribution of
	// W over the 2^N sign patterns of these ranks), else from the normal
	// approximation with tie and continuity corrections.
	P float64
	// Exact reports whether P is exact.
	Exact bool
}

// SignedRankTest runs the one-sided Wilcoxon signed-rank test on d.
func SignedRankTest(d []float64) SignedRank {
	abs := make([]float64, 0, len(d))
	pos := make([]bool, 0, len(d))
	for _, x := range d {
		if x != 0 && !math.IsNaN(x) {
			abs = append(abs, math.Abs(x))
			pos = append(pos, x > 0)
		}
	}
	n := len(abs)
	if n == 0 {
		return SignedRank{P: 1, Exact: true}
	}
	ranks, tieTerm := midranks(abs)
	var w float64
	for i, r := range ranks {
		if pos[i] {
			w += r
		}
	}
	res := SignedRank{N: n, W: w}
	if n <= exactMax {
		res.P, res.Exact = upperTailRanks(ranks, w), true
		return res
	}
	mean := float64(n*(n+1)) / 4
	sd := math.Sqrt(float64(n*(n+1)*(2*n+1))/24 - tieTerm/48)
	if sd == 0 {
		res.P = 1
		return res
	}
	res.P = normalUpper((w - mean - 0.5) / sd)
	return res
}

// midranks ranks x from 1 up, giving tied values the mean of their ranks,
// and returns Σ(t³−t) over the groups of t ties (zero without ties).
func midranks(x []float64) (ranks []float64, tieTerm float64) {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case x[a] < x[b]:
			return -1
		case x[a] > x[b]:
			return 1
		}
		return 0
	})
	ranks = make([]float64, len(x))
	for i := 0; i < len(idx); {
		j := i + 1
		for j < len(idx) && x[idx[j]] == x[idx[i]] {
			j++
		}
		mid := float64(i+1+j) / 2 // ranks i+1 … j
		for k := i; k < j; k++ {
			ranks[idx[k]] = mid
		}
		if t := float64(j - i); t > 1 {
			tieTerm += t*t*t - t
		}
		i = j
	}
	return ranks, tieTerm
}

// signedRankCounts returns, for n pairs without ties, how many of the 2^n
// sign patterns give each W from 0 to n(n+1)/2.
func signedRankCounts(n int) []float64 {
	counts := make([]float64, n*(n+1)/2+1)
	counts[0] = 1
	top := 0
	for r := 1; r <= n; r++ {
		top += r
		for s := top; s >= r; s-- {
			counts[s] += counts[s-r]
		}
	}
	return counts
}

// upperTailRanks is P(W ≥ w) under the null for these ranks (midranks,
// so multiples of ½): each rank counts toward W with probability ½,
// independently. Doubled, the ranks are integers and the distribution is
// counted as for distinct ranks.
func upperTailRanks(ranks []float64, w float64) float64 {
	total := 0
	for _, r := range ranks {
		total += int(math.Round(2 * r))
	}
	counts := make([]float64, total+1)
	counts[0] = 1
	top := 0
	for _, r := range ranks {
		r2 := int(math.Round(2 * r))
		top += r2
		for s := top; s >= r2; s-- {
			counts[s] += counts[s-r2]
		}
	}
	var tail float64
	for s := max(int(math.Round(2*w)), 0); s <= total; s++ {
		tail += counts[s]
	}
	return tail / math.Ldexp(1, len(ranks))
}

// lowerTail is P(W ≤ w) for n pairs without ties, under the null.
func lowerTail(n, w int) float64 {
	counts := signedRankCounts(n)
	var tail float64
	for s := 0; s <= min(w, len(counts)-1); s++ {
		tail += counts[s]
	}
	return tail / math.Ldexp(1, n)
}

// normalUpper is P(Z > z) for a standard normal Z.
func normalUpper(z float64) float64 { return 0.5 * math.Erfc(z/math.Sqrt2) }

// normalQuantile is the z with P(Z ≤ z) = p.
func normalQuantile(p float64) float64 { return -math.Sqrt2 * math.Erfcinv(2*p) }

// Shift is the Hodges–Lehmann estimate of the median of paired differences
// with its confidence interval, the estimate and interval that go with the
// signed-rank test: the median of the Walsh averages (d_i + d_j)/2, i ≤ j,
// and two of their order statistics. Lo is −Inf and Hi +Inf when there are
// too few pairs for the confidence asked.
type Shift struct {
	Estimate, Lo, Hi float64
}

// HodgesLehmann estimates the median of d with a two-sided confidence
// interval of the given level (0.95 is 95 %), each bound missing the true
// median with probability (1 − level)/2 at most.
func HodgesLehmann(d []float64, level float64) Shift {
	n := len(d)
	if n == 0 {
		return Shift{Estimate: math.NaN(), Lo: math.Inf(-1), Hi: math.Inf(1)}
	}
	walsh := make([]float64, 0, n*(n+1)/2)
	for i := range d {
		for j := i; j < n; j++ {
			walsh = append(walsh, (d[i]+d[j])/2)
		}
	}
	slices.Sort(walsh)
	m := len(walsh)
	s := Shift{Estimate: median(walsh), Lo: math.Inf(-1), Hi: math.Inf(1)}
	// The lower bound is the k-th smallest Walsh average, the upper the
	// k-th largest, for the largest k with P(W ≤ k−1) ≤ (1 − level)/2.
	if k := walshRank(n, (1-level)/2); k >= 1 {
		s.Lo, s.Hi = walsh[k-1], walsh[m-k]
	}
	return s
}

// walshRank is the largest k with P(W ≤ k−1) ≤ tail for n pairs, 0 if
// there is none.
func walshRank(n int, tail float64) int {
	if n <= exactMax {
		k := 0
		for lowerTail(n, k) <= tail {
			k++
		}
		return k
	}
	mean := float64(n*(n+1)) / 4
	sd := math.Sqrt(float64(n*(n+1)*(2*n+1)) / 24)
	return max(0, int(math.Floor(mean+sd*normalQuantile(tail)+0.5)))
}

func median(sorted []float64) float64 {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}
