// Package gather is a hunt corpus kernel: the caller ranges over a result
// channel that nobody closes.
//
// Gather starts one goroutine per source and ranges over their results, but
// no one closes the channel once they are all done, so the range never ends
// and Gather blocks forever (a partial deadlock: the test's goroutine waits on
// a channel no live goroutine will ever send on or close).
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
	// bug: missing go func() { wg.Wait(); close(out) }()
	var res []int
	for v := range out {
		res = append(res, v)
	}
	slices.Sort(res)
	return res
}
