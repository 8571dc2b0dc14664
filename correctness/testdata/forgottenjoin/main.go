// Command forgottenjoin is the article's "forgot to join the thread"
// mistake: main starts a worker that fills in a result and reads the result
// before it waits for the worker. The join comes too late to order the
// worker's write before main's read, so whichever runs first, the two
// accesses race, and the race detector must say so; see
// TestRaceForgottenJoin.
package main

import (
	"fmt"
	"sync"
)

var result int

// fetch is the worker whose write the race report must name.
func fetch() {
	result = 42
}

func main() {
	var wg sync.WaitGroup
	wg.Go(fetch)
	fmt.Println("result:", result) // read before the join: the mistake
	wg.Wait()                      // joined only to exit cleanly
}
