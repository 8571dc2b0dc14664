package perf

import (
	"context"
	"fmt"
	"testing"

	"github.com/conclab/conclab/scenarios"
)

// BenchmarkRoundTrip is what handing one tiny task to another worker costs:
// a process of the pool (the request framed over a pipe, a context switch
// to the child and back, the answer framed) against a goroutine started for
// it (spawn, run, a channel send back). The pool is started outside the
// timed loop; the task is SquareNumbers over one integer, next to nothing.
func BenchmarkRoundTrip(b *testing.B) {
	b.Run("process", func(b *testing.B) {
		b.ReportAllocs()
		pool, err := scenarios.StartSubprocessPool(b.Context(), 1)
		if err != nil {
			b.Fatal(err)
		}
		defer func() {
			if err := pool.Close(); err != nil {
				b.Error(err)
			}
		}()
		i := 0
		for b.Loop() {
			got, err := pool.SquareNumbers(b.Context(), i, i+1)
			if err != nil {
				b.Fatal(err)
			}
			if want := scenarios.SquareNumbers(i, i+1); got != want {
				b.Fatalf("worker returned %#x for %d, want %#x", got, i, want)
			}
			i++
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/task")
	})
	b.Run("goroutine", func(b *testing.B) {
		b.ReportAllocs()
		res := make(chan uint64)
		i := 0
		for b.Loop() {
			go func() { res <- scenarios.SquareNumbers(i, i+1) }() // owned: received just below
			if got, want := <-res, scenarios.SquareNumbers(i, i+1); got != want {
				b.Fatalf("goroutine returned %#x for %d, want %#x", got, i, want)
			}
			i++
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/task")
	})
}

// BenchmarkOversubscribe runs the same fixed CPU work (the kernel over
// maxBenchWork integers) with 1 worker, then 1, 2, 8 and 64 per core
// (GOMAXPROCS), as goroutines and as processes, and reports the throughput
// and the speedup over 1 worker. Goroutines cost the scheduler next to
// nothing, so 64 per core lose little; each process costs a start-up, its
// memory and the kernel's scheduling, which is the article's "spawning more
// processes than your CPU can handle".
func BenchmarkOversubscribe(b *testing.B) {
	const work = maxBenchWork
	want := scenarios.SquareNumbers(0, work)
	for _, kind := range []struct {
		name string
		run  func(ctx context.Context, workers int) (uint64, error)
	}{
		{"goroutines", func(ctx context.Context, workers int) (uint64, error) {
			return scenarios.SquareNumbersParallel(ctx, workers, work)
		}},
		{"processes", func(ctx context.Context, procs int) (uint64, error) {
			// One range per process, as the article starts one Process per
			// range; the ranges must cover [0, work) exactly.
			parts := procs
			for work%parts != 0 {
				parts++
			}
			return scenarios.SquareNumbersInProcesses(ctx, procs, parts, work/parts)
		}},
	} {
		b.Run(kind.name, func(b *testing.B) {
			var one float64 // seconds per run with one worker
			for _, perCore := range []int{0, 1, 2, 8, 64} {
				workers, name := 1, "workers=1"
				if perCore > 0 {
					workers = perCore * parallelism()
					name = fmt.Sprintf("workers=%dxcores", perCore)
				}
				b.Run(name, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						got, err := kind.run(b.Context(), workers)
						if err != nil {
							b.Fatal(err)
						}
						if got != want {
							b.Fatalf("checksum %#x, want %#x", got, want)
						}
					}
					perRun := b.Elapsed().Seconds() / float64(b.N)
					b.ReportMetric(work/perRun, "items/s")
					if workers == 1 {
						one = perRun
					}
					if one > 0 {
						b.ReportMetric(one/perRun, "speedup")
					}
				})
			}
		})
	}
}
