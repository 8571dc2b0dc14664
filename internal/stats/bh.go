package stats

import (
	"math"
	"slices"
)

// AdjustBH returns the Benjamini–Hochberg adjusted p-values (q-values) of
// p, in p's order: rejecting every hypothesis whose q is at most α keeps
// the expected share of false rejections among the rejections at most α.
// For the i-th smallest of m p-values q is min over j ≥ i of m·p_(j)/j,
// capped at 1.
func AdjustBH(p []float64) []float64 {
	m := len(p)
	idx := make([]int, m)
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case p[a] < p[b]:
			return -1
		case p[a] > p[b]:
			return 1
		}
		return 0
	})
	q := make([]float64, m)
	running := 1.0
	for rank := m; rank >= 1; rank-- {
		i := idx[rank-1]
		running = math.Min(running, p[i]*float64(m)/float64(rank))
		q[i] = running
	}
	return q
}
