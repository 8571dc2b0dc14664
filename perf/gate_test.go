package perf

import (
	"context"
	"sync"
	"testing"

	"github.com/conclab/conclab/scenarios"
)

// gateScenarios are the catalogue's CPU families at the size the benchmark
// gate measures them: about a million iterations of the kernel a run (a
// millisecond or two on one core), so that one measurement takes
// milliseconds and the gate can afford dozens of rounds of each family.
// The catalogue's own sizes are BenchmarkScenarios'.
var gateScenarios = []struct {
	name        string
	items, work int
}{
	{"cpu-bound", 16, 62_500},
	{"pool-map", 1000, 1000},
	{"executor", 100, 10_000},
	{"pipeline", 100, 10_000},
}

// BenchmarkGate is what scripts/bench-compare gates: every family the
// README's performance claims rest on, each sized to take milliseconds or
// less an op —
//
//   - scenario/NAME: the CPU kernel through cpu-bound and pool-map, the
//     executor and the pipeline, with their default worker counts;
//   - counter/KIND: the Lock section's counters under contention;
//   - overhead/...: a goroutine spawned and joined, a task through the
//     executor's Submit and Get, a range handed to a worker process and
//     back (the process pool's round trip).
//
// The gate runs each sub-benchmark on its own, old and new alternately.
func BenchmarkGate(b *testing.B) {
	for _, g := range gateScenarios {
		b.Run("scenario/"+g.name, func(b *testing.B) {
			s, err := scenarios.Lookup(g.name)
			if err != nil {
				b.Fatal(err)
			}
			cfg := s.Defaults
			cfg.Items, cfg.Work, cfg.Latency = g.items, g.work, 0
			if err := cfg.Validate(); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			var res scenarios.Result
			for b.Loop() {
				if res, err = s.Run(b.Context(), cfg); err != nil {
					b.Fatal(err)
				}
			}
			if err := s.Check(cfg, res); err != nil {
				b.Fatalf("invariant: %v", err)
			}
		})
	}
	mutex := func(int) (scenarios.Counter, func()) { return new(paddedMutexCounter), func() {} }
	for _, c := range []struct {
		name       string
		newCounter func(workers int) (scenarios.Counter, func())
		writePct   int
	}{
		{"mutex", mutex, 100},
		{"rwmutex-read-mostly", func(int) (scenarios.Counter, func()) { return new(rwCounter), func() {} }, 1},
		{"atomic", func(int) (scenarios.Counter, func()) { return new(paddedAtomicCounter), func() {} }, 100},
		{"sharded", func(w int) (scenarios.Counter, func()) { return scenarios.NewShardedCounter(w), func() {} }, 100},
		{"channel", func(int) (scenarios.Counter, func()) {
			c := scenarios.NewChannelCounter()
			return c, c.Close
		}, 100},
	} {
		b.Run("counter/"+c.name, func(b *testing.B) { benchmarkCounter(b, c.newCounter, c.writePct) })
	}
	b.Run("overhead/spawn-join", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var wg sync.WaitGroup
			for range 100 {
				wg.Go(func() {})
			}
			wg.Wait()
		}
	})
	b.Run("overhead/executor-submit-get", func(b *testing.B) {
		b.ReportAllocs()
		e := scenarios.NewTaskExecutor(1)
		defer func() {
			if err := e.Shutdown(context.Background()); err != nil {
				b.Error(err)
			}
		}()
		nop := func(context.Context) (int, error) { return 1, nil }
		for b.Loop() {
			if _, err := scenarios.Submit(b.Context(), e, nop).Get(b.Context()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("overhead/process-round-trip", func(b *testing.B) {
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
		const span = 1000 // a microsecond or so of the kernel in the worker
		i := 0
		for b.Loop() {
			got, err := pool.SquareNumbers(b.Context(), i, i+span)
			if err != nil {
				b.Fatal(err)
			}
			if want := scenarios.SquareNumbers(i, i+span); got != want {
				b.Fatalf("worker returned %#x for [%d, %d), want %#x", got, i, i+span, want)
			}
			i++
		}
	})
}
