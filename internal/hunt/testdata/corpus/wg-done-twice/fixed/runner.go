// Package runner is the fixed twin of a hunt corpus kernel (WaitGroup.Done
// twice on an error path): only the deferred Done remains.
package runner

import "sync"

// RunAll runs the tasks concurrently and returns how many failed.
func RunAll(tasks []func() error) int {
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		failed int
	)
	for _, task := range tasks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := task(); err != nil {
				mu.Lock()
				failed++
				mu.Unlock()
				return
			}
		}()
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	return failed
}
