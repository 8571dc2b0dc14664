package perf

import (
	"fmt"
	"testing"

	"github.com/conclab/conclab/scenarios"
)

// BenchmarkPoolMap is the per-item cost of PoolMap on the article's
// compute_square (n*n, nothing to compute): the whole price is handing items
// out and collecting results. chunk=1 is one item per hand-out, what every
// item costs unchunked; chunk=auto is PoolMap's default (AutoChunk: four
// chunks per worker, as Pool.map picks its chunksize). Python's Pool.map
// pays about 200 ns an item for the same program.
func BenchmarkPoolMap(b *testing.B) {
	const items = 100_000
	in := make([]int64, items)
	for i := range in {
		in[i] = int64(i + 1)
	}
	square := func(n int64) int64 { return scenarios.Square(n) }
	for _, chunk := range []int{1, 16, 0} {
		name := fmt.Sprintf("chunk=%d/items=%d", chunk, items)
		if chunk == 0 {
			name = fmt.Sprintf("chunk=auto/items=%d", items)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			var out []int64
			for b.Loop() {
				var err error
				if out, err = scenarios.PoolMap(b.Context(), 0, chunk, in, square); err != nil {
					b.Fatal(err)
				}
			}
			if out[items-1] != items*items {
				b.Fatalf("out[%d] = %d, want %d", items-1, out[items-1], items*items)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*items), "ns/item")
		})
	}
}
