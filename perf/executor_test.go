package perf

import (
	"context"
	"fmt"
	"testing"

	"github.com/conclab/conclab/scenarios"
)

// BenchmarkExecutor is the cost of the executor per task, on a task that
// does nothing (the article's greet, a string format, would be most of
// it):
//
//   - submit-get: Submit one task and wait for its Future, one at a time:
//     the latency of a round trip through the queue to a worker and back.
//   - map: MapTasks over a batch of tasks, the article's executor.map: the
//     throughput when the workers are kept busy. Python's
//     ThreadPoolExecutor.map costs about 12 µs a task.
//
// A task costs two allocations, its Future (with its call and context) and
// the Future's channel; MapTasks adds a closure an item. A task that had a
// cancellable context of its own, so that Shutdown could cancel it, cost two
// more and about 0.3 µs (1.0 µs a round trip against 0.7; commit 0415474
// made that context lazily, in 61 more lines): Shutdown now leaves a running
// task to the context given to Submit, as errgroup leaves its goroutines.
func BenchmarkExecutor(b *testing.B) {
	nop := func(ctx context.Context) (int, error) { return 1, nil }
	for _, workers := range []int{1, 3} {
		b.Run(fmt.Sprintf("submit-get/workers=%d", workers), func(b *testing.B) {
			b.ReportAllocs()
			e := scenarios.NewTaskExecutor(workers)
			defer shutdown(b, e)
			ctx := b.Context()
			for b.Loop() {
				if _, err := scenarios.Submit(ctx, e, nop).Get(ctx); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/task")
		})
	}
	const tasks = 10_000
	in := make([]int, tasks)
	for _, workers := range []int{1, 3} {
		b.Run(fmt.Sprintf("map/workers=%d/tasks=%d", workers, tasks), func(b *testing.B) {
			b.ReportAllocs()
			e := scenarios.NewTaskExecutor(workers)
			defer shutdown(b, e)
			ctx := b.Context()
			for b.Loop() {
				out, err := scenarios.MapTasks(ctx, e, in, func(_ context.Context, i int) (int, error) { return i + 1, nil })
				if err != nil || len(out) != tasks {
					b.Fatalf("MapTasks: %d results, %v", len(out), err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*tasks), "ns/task")
		})
	}
}

func shutdown(b *testing.B, e *scenarios.TaskExecutor) {
	if err := e.Shutdown(context.Background()); err != nil {
		b.Error(err)
	}
}
