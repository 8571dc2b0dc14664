// Package pool is the source certainty_test.go's dumps point into: a pool
// whose workers wait for tasks until it is closed.
package pool

// A Pool runs tasks on one worker until Close.
type Pool struct{ tasks chan func() }

// New starts the worker.
func New() *Pool {
	p := &Pool{tasks: make(chan func())}
	go p.work()
	return p
}

func (p *Pool) work() {
	for f := range p.tasks {
		f()
	}
}

// Submit runs f on the worker.
func (p *Pool) Submit(f func()) { p.tasks <- f }

// Close stops the worker.
func (p *Pool) Close() { close(p.tasks) }

// Fetch returns at once and leaves its sender blocked: nothing the caller
// holds can release it.
func Fetch() int {
	ch := make(chan int)
	go func() { ch <- 1 }()
	return 0
}
