// Package psum is a hunt corpus kernel: a result read before Wait.
//
// ParallelSum adds the two halves of a slice on two goroutines but reads their
// partial sums before waiting for them. The race detector reports the read
// racing the workers' writes; when the read wins, the test also fails with a
// wrong sum (failure).
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
	total := left + right // bug: read before wg.Wait
	wg.Wait()
	return total
}
