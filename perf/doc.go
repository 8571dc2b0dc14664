// Package perf measures what each of conclab's patterns costs and how it
// scales, with Go's own benchmark harness and nothing else:
//
//	go test -run '^$' -bench . -cpu 1,2,4 -count 6 ./perf/... > new.txt
//	go tool benchstat -col /gomaxprocs new.txt   # one column per core count
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
//   - BenchmarkSpawnJoin, BenchmarkHandoff, BenchmarkPoolMap,
//     BenchmarkExecutor and BenchmarkRoundTrip measure the fixed costs the
//     patterns are built from: a goroutine started and waited for, a value
//     passed over a channel, one item of PoolMap with and without chunking,
//     one task through the executor (submit to result, and in a map), one
//     task handed to a worker process against one handed to a goroutine.
//   - BenchmarkOversubscribe runs fixed CPU work with 1 worker and 1, 2, 8
//     and 64 workers per core, as goroutines and as processes.
//   - BenchmarkDownload fetches 1, 1 000 and 10 000 files at once from a
//     loopback HTTP server that waits 200 ms per file, and reports the wall
//     time in latencies (≈ 1, not N) and the memory and goroutines each file
//     in flight costs.
//   - BenchmarkGate is what the regression gate (scripts/bench-compare,
//     package perf/gate) measures: each of the families above at a size of a
//     millisecond or less an op. BenchmarkCalibrate is the gate's yardstick,
//     the kernel scaled by -gate.scale, for `make gate-power`.
//
// The sizes are small so that `go test -bench . ./perf/...` with default
// settings finishes in about two minutes on two cores; the 10 000-request
// download is skipped in -short.
//
// Results are in benchstat's format. `make bench` writes them to a file and
// scripts/bench-gate compares two such files (package perf/gate holds
// its decision logic).
//
// Figures measured on a shared machine are noisy: compare runs with -count 5
// or more, in one session, and trust only what benchstat calls significant.
package perf
