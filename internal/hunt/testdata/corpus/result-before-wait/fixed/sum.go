// Package psum is the fixed twin of a hunt corpus kernel (result read before
// Wait): the partial sums are read after wg.Wait.
package psum

import "sync"

// ParallelSum returns the sum of xs, computed on two goroutines.
func ParallelSum(xs []int) int {
	var wg sync.WaitGroup
	var left, right int
	half := len(xs) / 2
	wg.Add(2)
	go func() {
		defer wg.Done()
		for _, x := range xs[:half] {
			left += x
		}
	}()
	go func() {
		defer wg.Done()
		for _, x := range xs[half:] {
			right += x
		}
	}()
	wg.Wait()
	return left + right
}
