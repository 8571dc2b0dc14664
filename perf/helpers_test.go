package perf

import "runtime"

// parallelism is the number of goroutines b.RunParallel starts when
// SetParallelism is not called: GOMAXPROCS.
func parallelism() int { return runtime.GOMAXPROCS(0) }
