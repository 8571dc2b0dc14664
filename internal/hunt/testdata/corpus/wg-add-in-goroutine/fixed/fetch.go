// Package fetch is the fixed twin of a hunt corpus kernel (WaitGroup.Add
// inside the goroutine): Add is called before each go statement.
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
		wg.Add(1)
		go func() {
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
