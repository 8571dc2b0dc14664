// Package runner is a hunt corpus kernel: WaitGroup.Done called twice on an
// error path.
//
// Each task's goroutine defers wg.Done, and the error branch, written before
// the defer was added, still calls Done itself: the counter goes negative and
// the goroutine panics with "sync: negative WaitGroup counter".
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
				wg.Done() // bug: the deferred Done runs as well
				return
			}
		}()
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	return failed
}
