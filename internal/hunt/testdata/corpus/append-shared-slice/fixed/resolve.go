// Package resolve is the fixed twin of a hunt corpus kernel (append to a shared
// slice): each goroutine writes its own element of a slice sized up front.
package resolve

import (
	"slices"
	"sync"
)

// ResolveAll resolves every name and returns the addresses sorted.
func ResolveAll(names []string, resolve func(string) string) []string {
	addrs := make([]string, len(names))
	var wg sync.WaitGroup
	for i, n := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			addrs[i] = resolve(n)
		}()
	}
	wg.Wait()
	slices.Sort(addrs)
	return addrs
}
