// Package workers is a hunt corpus kernel: range over a channel nobody closes,
// leaking the workers.
//
// Process starts a fixed pool of workers that range over jobs, feeds the jobs
// and collects exactly one result per job, then returns. The feeder never
// closes jobs, so every worker stays blocked in its range loop after the caller
// has its results: the goroutines leak (the shape of etcd's and Docker's
// worker pools that were never shut down).
package workers

// Process squares every item on three workers and returns the sum.
func Process(items []int) int {
	jobs := make(chan int)
	results := make(chan int)
	for w := 0; w < 3; w++ {
		go func() {
			for v := range jobs {
				results <- v * v
			}
		}()
	}
	go func() {
		for _, v := range items {
			jobs <- v
		}
		// bug: jobs is never closed
	}()
	sum := 0
	for range items {
		sum += <-results
	}
	return sum
}
