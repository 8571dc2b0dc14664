package psum

import "testing"

func TestParallelSum(t *testing.T) {
	xs := make([]int, 1000)
	for i := range xs {
		xs[i] = i
	}
	if got := ParallelSum(xs); got != 499500 {
		t.Errorf("ParallelSum = %d, want 499500", got)
	}
}
