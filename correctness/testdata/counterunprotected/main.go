// Command counterunprotected is the article's Lock example with the lock
// taken out: five goroutines run counter++ on a shared int. It is a data
// race, and the race detector must say so; see TestRaceCounterUnprotected.
package main

import (
	"fmt"
	"sync"
)

var counter int

// increment is the racing function the race report must name.
func increment() {
	for range 10_000 {
		counter++
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
