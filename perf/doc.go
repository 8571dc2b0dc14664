// Package perf measures what each of conclab's patterns costs and how it
// scales, with Go's own benchmark harness and nothing else:
//
//	go test -run '^$' -bench . -cpu 1,2,4 ./perf/... > new.txt
//	go tool benchstat new.txt
//
// The package has no API; it is a set of benchmark families, each built from
// one helper with a b.Run per size, as Go's sync package builds its own:
//
//   - BenchmarkScenarios iterates the catalogue ([scenarios.All]): one
//     sub-benchmark per scenario and worker count, reporting items/s and
//     ns/item, and for CPU scenarios the speedup and efficiency of each worker
//     count against the 1-worker run measured in the same process.
//   - BenchmarkCounter puts the counters of the Lock section under contention
//     with b.RunParallel: sync.Mutex, sync.RWMutex (read-mostly and
//     write-mostly), atomic.Int64, the padded sharded counter and the channel
//     owner. The shape of the curve across -cpu 1,2,4,8 is the lesson.
//   - BenchmarkSpawnJoin, BenchmarkHandoff and their neighbours measure the
//     fixed costs the patterns are built from: a goroutine started and
//     waited for, a value passed over a channel.
//
// The sizes are small so that `go test -bench . ./perf/...` with default
// settings finishes in a few minutes on two cores; the long I/O benchmarks
// (thousands of concurrent requests at 200 ms) run only when asked for by
// name and are skipped in -short.
//
// Results are in benchstat's format. `make bench` writes them to a file and
// scripts/bench-gate compares two such files (package perf/gate holds
// its decision logic).
//
// Figures measured on a shared machine are noisy: compare runs with -count 5
// or more, in one session, and trust only what benchstat calls significant.
package perf
