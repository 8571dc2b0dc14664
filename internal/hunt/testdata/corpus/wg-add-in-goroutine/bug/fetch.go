// Package fetch is a hunt corpus kernel: WaitGroup.Add called inside the
// goroutine it counts.
//
// FetchAll starts one goroutine per key and each goroutine calls wg.Add(1)
// itself, so Wait can run before any Add and return at once: the caller gets
// a partial result. This is the misuse Go 1.25's vet "waitgroup" analyzer was
// written for. When a goroutine does get to Add before Wait blocks, the race
// detector reports Add racing Wait instead.
package fetch

import (
	"maps"
	"sync"
)

// FetchAll fetches every key concurrently and returns the results by key.
func FetchAll(keys []string, fetch func(string) int) map[string]int {
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		out = map[string]int{}
	)
	for _, k := range keys {
		go func() {
			wg.Add(1) // bug: must happen before the go statement
			defer wg.Done()
			v := fetch(k)
			mu.Lock()
			out[k] = v
			mu.Unlock()
		}()
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	return maps.Clone(out)
}
