// Command countermutex is counterunprotected with the lock put back: the
// same five goroutines, each counter++ under a sync.Mutex. The race detector
// must stay silent and the count must be exactly 50000; see
// TestNoRaceCounterMutex.
package main

import (
	"fmt"
	"sync"
)

var (
	mu      sync.Mutex
	counter int
)

func increment() {
	for range 10_000 {
		mu.Lock()
		counter++
		mu.Unlock()
	}
}

func main() {
	var wg sync.WaitGroup
	for range 5 {
		wg.Go(increment)
	}
	wg.Wait()
	fmt.Println("counter:", counter)
}
