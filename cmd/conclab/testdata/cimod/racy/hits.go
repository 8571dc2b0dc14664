// Package racy has the fixture's known bug: Hits counts without a lock.
package racy

import "sync"

// Hits counts n hits from n goroutines.
func Hits(n int) int {
	count := 0
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			count++
		}()
	}
	wg.Wait()
	return count
}
