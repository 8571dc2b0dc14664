// Package prefetch is the fixed twin of a hunt corpus kernel: a goroutine that blocks on a
// channel after its test returned.
//
// Prefetch computes in the background and hands the result over an
// unbuffered channel; a caller that decides it does not need the result
// returns without receiving it, and the goroutine, still computing when the
// test ends, blocks on its send forever.
package prefetch

// Prefetch is a value computed ahead of need.
type Prefetch struct {
	out chan int
}

// Start starts computing the sum of 1..n.
func Start(n int) *Prefetch {
	p := &Prefetch{out: make(chan int, 1)}
	go func() {
		sum := 0
		for i := 1; i <= n; i++ {
			sum += i
		}
		p.out <- sum
	}()
	return p
}

// Get waits for the value.
func (p *Prefetch) Get() int { return <-p.out }
