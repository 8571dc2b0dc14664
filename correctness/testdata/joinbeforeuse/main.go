// Command joinbeforeuse is forgottenjoin fixed: main waits for the worker
// before it reads the result, so the worker's write happens before the read.
// The race detector must stay silent and the result must be 42; see
// TestNoRaceJoinBeforeUse.
package main

import (
	"fmt"
	"sync"
)

var result int

func fetch() {
	result = 42
}

func main() {
	var wg sync.WaitGroup
	wg.Go(fetch)
	wg.Wait()
	fmt.Println("result:", result)
}
