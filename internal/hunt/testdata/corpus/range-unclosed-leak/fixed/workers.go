// Package workers is the fixed twin of a hunt corpus kernel (range over a
// channel nobody closes): the feeder closes jobs and Process waits for the
// workers to finish before it returns.
package workers

import "sync"

// Process squares every item on three workers and returns the sum.
func Process(items []int) int {
	jobs := make(chan int)
	results := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range jobs {
				results <- v * v
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, v := range items {
			jobs <- v
		}
	}()
	sum := 0
	for range items {
		sum += <-results
	}
	wg.Wait()
	return sum
}
