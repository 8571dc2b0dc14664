package perf

import (
	"fmt"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/conclab/conclab/scenarios"
)

// BenchmarkDownload is the article's threaded download for real: N files
// fetched at once, one goroutine each, from an HTTP server on the loopback
// interface that waits L before each answer. Concurrency turns N×L into
// about L; wall/latency reports how close (1.0 is every wait overlapped
// perfectly). Beside time and allocations it reports what each file in
// flight costs at the peak: the memory (heap objects and goroutine stacks,
// client and server sides together, since both live in this process) and
// the goroutines, above what the process held before the run, and their
// ratio, the memory of one goroutine in flight (its stack and what it holds).
//
// files=10000 takes a few seconds a run and is skipped in -short.
func BenchmarkDownload(b *testing.B) {
	const latency = 200 * time.Millisecond
	for _, n := range []int{1, 1000, 10_000} {
		b.Run(fmt.Sprintf("files=%d/latency=%v", n, latency), func(b *testing.B) {
			if n > 1000 && testing.Short() {
				b.Skip("10 000 concurrent requests: skipped in -short")
			}
			srv := scenarios.NewFileServer(latency)
			defer srv.Close()
			b.ReportAllocs()
			var peak usage
			for b.Loop() {
				base := readUsage()
				stop := sampleUsage(&peak, 2*time.Millisecond)
				files, err := scenarios.Download(b.Context(), srv.Fetch, n)
				stop()
				if err != nil {
					b.Fatal(err)
				}
				if len(files) != n || len(files[n-1]) == 0 {
					b.Fatalf("%d files, the last %d bytes long", len(files), len(files[n-1]))
				}
				peak = peak.minus(base)
			}
			perRun := b.Elapsed() / time.Duration(b.N)
			b.ReportMetric(perRun.Seconds()/latency.Seconds(), "wall/latency")
			b.ReportMetric(float64(peak.bytes)/float64(n), "peak-B/file")
			b.ReportMetric(float64(peak.goroutines)/float64(n), "goroutines/file")
			if peak.goroutines > 0 {
				b.ReportMetric(float64(peak.bytes)/float64(peak.goroutines), "peak-B/goroutine")
			}
		})
	}
}

// usage is what the process holds: heap objects and goroutine stacks, in
// bytes, and goroutines.
type usage struct{ bytes, goroutines int64 }

var usageMetrics = []string{
	"/memory/classes/heap/objects:bytes",
	"/memory/classes/heap/stacks:bytes",
	"/sched/goroutines:goroutines",
}

func readUsage() usage {
	s := make([]metrics.Sample, len(usageMetrics))
	for i, name := range usageMetrics {
		s[i].Name = name
	}
	metrics.Read(s)
	return usage{
		bytes:      int64(s[0].Value.Uint64() + s[1].Value.Uint64()),
		goroutines: int64(s[2].Value.Uint64()),
	}
}

func (u usage) minus(base usage) usage {
	return usage{max(0, u.bytes-base.bytes), max(0, u.goroutines-base.goroutines)}
}

// sampleUsage reads the process's usage every period until the returned
// stop is called, and leaves the largest values seen in *peak (each
// maximised on its own). stop waits for the sampler to exit.
func sampleUsage(peak *usage, period time.Duration) (stop func()) {
	*peak = readUsage()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(period)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				u := readUsage()
				peak.bytes = max(peak.bytes, u.bytes)
				peak.goroutines = max(peak.goroutines, u.goroutines)
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
	}
}
