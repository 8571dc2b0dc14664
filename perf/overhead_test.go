package perf

import (
	"fmt"
	"sync"
	"testing"
)

// BenchmarkSpawnJoin is the fixed cost of the pattern under every scenario
// here: start n goroutines that do nothing and wait for all of them
// (sync.WaitGroup.Go, then Wait). ns/goroutine is what one costs — compare
// with the tens of microseconds a thread or a process costs Python.
func BenchmarkSpawnJoin(b *testing.B) {
	for _, n := range []int{1, 100, 10_000} {
		b.Run(fmt.Sprintf("goroutines=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var wg sync.WaitGroup
				for range n {
					wg.Go(func() {}) // starting a goroutine is a side effect: nothing to drop
				}
				wg.Wait()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/goroutine")
		})
	}
}

// BenchmarkHandoff is the cost of passing one value from one goroutine to
// another over a channel of capacity c, the step every pipeline, queue and
// worker pool repeats per item. An unbuffered channel makes each send wait
// for its receiver; a buffer lets the two run apart, until it fills.
func BenchmarkHandoff(b *testing.B) {
	for _, c := range []int{0, 1, 128} {
		b.Run(fmt.Sprintf("capacity=%d", c), func(b *testing.B) {
			b.ReportAllocs()
			ch := make(chan int, c)
			var (
				wg  sync.WaitGroup
				sum int
			)
			wg.Go(func() {
				for v := range ch {
					sum += v
				}
			})
			i := 0
			for b.Loop() {
				ch <- i
				i++
			}
			close(ch) // the only sender closes, once
			wg.Wait()
			if want := i * (i - 1) / 2; sum != want {
				b.Fatalf("receiver summed %d, want %d: a value was lost", sum, want)
			}
		})
	}
}
