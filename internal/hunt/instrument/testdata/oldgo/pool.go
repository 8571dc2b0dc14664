// Package oldgo is a module at language version 1.16: the injected runtime
// must compile there too.
package oldgo

import "sync"

// Pool counts the jobs it ran.
type Pool struct {
	mu   sync.Mutex
	runs int
}

// Run runs f on n goroutines and waits for them.
func (p *Pool) Run(n int, f func()) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f()
			p.mu.Lock()
			p.runs++
			p.mu.Unlock()
		}()
	}
	wg.Wait()
}
