// Package racy counts hits without a lock: a data race.
package racy

import "sync"

// Hits counts from several goroutines and forgets the lock.
func Hits(n int) int {
	total := 0
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			total++
		}()
	}
	wg.Wait()
	return total
}
