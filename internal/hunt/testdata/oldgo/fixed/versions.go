// Package versions is the fixed twin of a hunt corpus kernel (loop variable
// captured by goroutines under go 1.21, moby#27037): each goroutine gets its
// own copy of i as an argument.
package versions

import (
	"fmt"
	"sort"
	"sync"
)

// APIVersions returns the supported API versions v1.17 to v1.21, sorted.
func APIVersions() []string {
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		out []string
	)
	for i := 17; i <= 21; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			v := fmt.Sprintf("v1.%d", i)
			mu.Lock()
			out = append(out, v)
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	sort.Strings(out)
	return out
}
