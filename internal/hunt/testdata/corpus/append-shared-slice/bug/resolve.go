// Package resolve is a hunt corpus kernel: append to a shared slice from
// several goroutines.
//
// ResolveAll resolves names concurrently and appends each address to one
// slice with no lock: the appends race on the slice header and backing array,
// and results can be lost.
package resolve

import (
	"slices"
	"sync"
)

// ResolveAll resolves every name and returns the addresses sorted.
func ResolveAll(names []string, resolve func(string) string) []string {
	var addrs []string
	var wg sync.WaitGroup
	for _, n := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			addrs = append(addrs, resolve(n)) // bug: unsynchronised append
		}()
	}
	wg.Wait()
	slices.Sort(addrs)
	return addrs
}
