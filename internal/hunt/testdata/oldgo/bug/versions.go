// Package versions is a hunt corpus kernel in a module whose go.mod says
// go 1.21: a loop variable captured by goroutines.
//
// It has the shape of moby#27037: before Go 1.22 a for loop has one i shared
// by every iteration, so each goroutine reads the i that the loop keeps
// incrementing. The race detector reports the read racing the loop's i++, and
// the versions come out wrong. hunt must work on modules with such an old go
// line.
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
		go func() {
			defer wg.Done()
			v := fmt.Sprintf("v1.%d", i) // bug: i is shared by all iterations (go 1.21)
			mu.Lock()
			out = append(out, v)
			mu.Unlock()
		}()
	}
	wg.Wait()
	sort.Strings(out)
	return out
}
