package perf

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/conclab/conclab/scenarios"
)

// maxBenchLatency caps the simulated I/O wait of the catalogue's benchmarks:
// a scenario's demo latency (often seconds) would leave b.Loop one iteration
// a second. The overlap of long waits is measured by BenchmarkDownload.
const maxBenchLatency = time.Millisecond

// maxBenchWork caps the kernel iterations of one run (Items × Work): about
// 40 ms on one core, where the demo defaults take half a second, so that
// b.Loop gets a few dozen runs out of its second.
const maxBenchWork = 1 << 25

// benchConfig is s's defaults sized for a benchmark: waits capped at
// maxBenchLatency, CPU work at maxBenchWork by shortening each item (the
// number of items, and so how the work splits between workers, is kept),
// everything else as the scenario's author chose it.
func benchConfig(s *scenarios.Scenario) scenarios.Config {
	cfg := s.Defaults
	cfg.Latency = min(cfg.Latency, maxBenchLatency)
	if cfg.Items > 0 && cfg.Work > 0 && cfg.Items*cfg.Work > maxBenchWork {
		cfg.Work = max(1, maxBenchWork/cfg.Items)
	}
	return cfg
}

// workerCounts is 1, 2 and 4 workers, and the scenario's own default when
// it is a small fixed number (the article's 5 threads of the Lock example).
// An I/O scenario runs only with its default: its time is the overlap of its
// waits, which its Items and Latency decide.
func workerCounts(s *scenarios.Scenario, cfg scenarios.Config) []int {
	if s.Kind == scenarios.IO {
		return []int{cfg.Workers}
	}
	ws := []int{1, 2, 4}
	if d := cfg.Workers; d > 0 && d <= 16 && !slices.Contains(ws, d) {
		ws = append(ws, d)
		slices.Sort(ws)
	}
	return ws
}

// BenchmarkScenarios runs every scenario of the catalogue with 1, 2 and 4
// workers (and its default worker count; I/O scenarios with their default
// only), named scenario/workers=W/items=N, sized by benchConfig, and reports
// beside time and allocations:
//
//   - items/s and ns/item, from the Items the run says it completed;
//   - for CPU scenarios, speedup (the 1-worker time divided by this one's,
//     both measured in this process at this GOMAXPROCS) and efficiency
//     (speedup divided by the cores the workers can use: min(W, GOMAXPROCS)).
//
// Every run's result is checked against the scenario's invariant: a fast
// wrong answer is not a benchmark.
func BenchmarkScenarios(b *testing.B) {
	for _, s := range scenarios.All() {
		b.Run(s.Name, func(b *testing.B) { benchmarkScenario(b, s, benchConfig(s)) })
	}
}

func benchmarkScenario(b *testing.B, s *scenarios.Scenario, base scenarios.Config) {
	var oneWorker time.Duration // time per run with 1 worker, once measured
	for _, w := range workerCounts(s, base) {
		cfg := base
		cfg.Workers = w
		name := fmt.Sprintf("workers=%d/items=%d", w, cfg.Items)
		if w == 0 {
			name = fmt.Sprintf("workers=default/items=%d", cfg.Items) // GOMAXPROCS: the -N suffix
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			var res scenarios.Result
			for b.Loop() {
				var err error
				if res, err = s.Run(b.Context(), cfg); err != nil {
					b.Fatal(err)
				}
			}
			if err := s.Check(cfg, res); err != nil {
				b.Fatalf("invariant: %v", err)
			}
			perRun := b.Elapsed() / time.Duration(b.N)
			reportItems(b, res.Items, perRun)
			if s.Kind != scenarios.CPU {
				return
			}
			if w == 1 {
				oneWorker = perRun
			}
			if oneWorker > 0 && perRun > 0 {
				speedup := float64(oneWorker) / float64(perRun)
				b.ReportMetric(speedup, "speedup")
				b.ReportMetric(speedup/float64(min(w, parallelism())), "efficiency")
			}
		})
	}
}

// reportItems reports items/s and ns/item for runs of items items taking
// perRun each. A run of no items reports nothing.
func reportItems(b *testing.B, items int, perRun time.Duration) {
	if items <= 0 || perRun <= 0 {
		return
	}
	b.ReportMetric(float64(items)/perRun.Seconds(), "items/s")
	b.ReportMetric(float64(perRun.Nanoseconds())/float64(items), "ns/item")
}
