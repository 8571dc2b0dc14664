// Package gather is the fixed twin of a hunt corpus kernel (range over a
// channel nobody closes): a closer goroutine closes out once every source has
// sent.
package gather

import (
	"slices"
	"sync"
)

// Gather calls every source concurrently and returns their results sorted.
func Gather(sources []func() int) []int {
	out := make(chan int, len(sources))
	var wg sync.WaitGroup
	for _, src := range sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out <- src()
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	var res []int
	for v := range out {
		res = append(res, v)
	}
	slices.Sort(res)
	return res
}
