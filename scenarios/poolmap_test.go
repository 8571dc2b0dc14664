package scenarios_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/scenarios"
)

// workerSweep is the worker counts every table of this file's families
// runs: one, two, GOMAXPROCS, four times GOMAXPROCS and more workers than
// items.
func workerSweep(items int) []int {
	p := runtime.GOMAXPROCS(0)
	ws := []int{1, 2, p, 4 * p, items + 1}
	slices.Sort(ws)
	return slices.Compact(ws)
}

// itemSweep is the item counts of the same tables: none, one, a few, more.
var itemSweep = []int{0, 1, 7, 1000}

func TestPoolMapKeepsInputOrder(t *testing.T) {
	for _, items := range itemSweep {
		for _, workers := range workerSweep(items) {
			for _, chunk := range []int{0, 1, 3, 1000} {
				name := fmt.Sprintf("pool-map/workers=%d/items=%d/chunk=%d", workers, items, chunk)
				t.Run(name, func(t *testing.T) {
					in := make([]int, items)
					for i := range in {
						in[i] = 3*i + 1
					}
					calls := make([]atomic.Int32, items)
					out, err := scenarios.PoolMap(t.Context(), workers, chunk, in, func(v int) string {
						calls[(v-1)/3].Add(1)
						return fmt.Sprint(v * v)
					})
					require.NoError(t, err)
					require.Len(t, out, items, "one result per input")
					for i, v := range in {
						assert.Equal(t, fmt.Sprint(v*v), out[i], "result %d is f(in[%d])", i, i)
						assert.Equal(t, int32(1), calls[i].Load(), "f called exactly once on item %d", i)
					}
				})
			}
		}
	}
}

func TestPoolMapScenario(t *testing.T) {
	s, err := scenarios.Lookup("pool-map")
	require.NoError(t, err)
	for _, items := range itemSweep {
		for _, workers := range workerSweep(items) {
			for _, work := range []int{0, 100} {
				cfg := scenarios.Config{Workers: workers, Items: items, Work: work}
				t.Run(fmt.Sprintf("pool-map/workers=%d/items=%d/work=%d", workers, items, work), func(t *testing.T) {
					res, err := s.Run(t.Context(), cfg)
					require.NoError(t, err)
					assert.NoError(t, s.Check(cfg, res), "results in input order")
					serial, err := s.Serial(t.Context(), cfg)
					require.NoError(t, err)
					assert.Equal(t, serial.Data, res.Data, "the pool's results are the serial loop's")
					assert.Equal(t, serial.Total, res.Total)
				})
			}
		}
	}
}

func TestPoolMapItemsAddUpToTheKernel(t *testing.T) {
	const items, work = 50, 37
	var sum uint64
	for n := int64(1); n <= items; n++ {
		sum += scenarios.PoolItem(n, work)
	}
	assert.Equal(t, scenarios.SquareNumbers(0, items*work), sum, "items 1..N do the work of SquareNumbers(0, N×work)")
	assert.Equal(t, uint64(16), scenarios.PoolItem(4, 0), "work 0 is compute_square")
}

func TestCheckPoolMapRejectsDisorder(t *testing.T) {
	s, err := scenarios.Lookup("pool-map")
	require.NoError(t, err)
	cfg := scenarios.Config{Workers: 2, Items: 4}
	assert.NoError(t, s.Check(cfg, scenarios.Result{Items: 4, Data: []uint64{1, 4, 9, 16}}))
	assert.EqualError(t, s.Check(cfg, scenarios.Result{Items: 4, Data: []uint64{1, 9, 4, 16}}),
		"result 1 is 9, want f(2) = 4: results out of input order or wrong")
	assert.EqualError(t, s.Check(cfg, scenarios.Result{Items: 3, Data: []uint64{1, 4, 9}}),
		"3 results (Items 3), want 4: one per number")
}

func TestPoolMapStopsOnCancel(t *testing.T) {
	t.Run("pool-map/cancelled-before-start", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		var calls atomic.Int64
		out, err := scenarios.PoolMap(ctx, 4, 1, make([]int, 100), func(int) int { calls.Add(1); return 0 })
		assert.ErrorIs(t, err, context.Canceled)
		assert.Nil(t, out, "no results on error")
		assert.Zero(t, calls.Load(), "no item started after cancellation")
	})
	for _, workers := range []int{1, 2, 8} {
		t.Run(fmt.Sprintf("pool-map/cancelled-midway/workers=%d", workers), func(t *testing.T) {
			const n, at = 1000, 10
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			var calls atomic.Int64
			cancelled := make(chan struct{})
			out, err := scenarios.PoolMap(ctx, workers, 1, make([]int, n), func(int) int {
				switch c := calls.Add(1); {
				case c == at:
					cancel()
					close(cancelled)
				case c > at:
					<-cancelled // items started after the at-th wait for the cancellation
				}
				return 0
			})
			assert.ErrorIs(t, err, context.Canceled)
			assert.Nil(t, out)
			// A worker may have taken one chunk before it could see the
			// cancellation, but never another.
			assert.LessOrEqual(t, calls.Load(), int64(at+workers-1), "no new chunk handed out after cancellation")
		})
	}
}

func TestPoolMapRecoversPanics(t *testing.T) {
	for _, workers := range []int{1, 2, 8} {
		t.Run(fmt.Sprintf("pool-map/panic/workers=%d", workers), func(t *testing.T) {
			boom := errors.New("boom")
			out, err := scenarios.PoolMap(t.Context(), workers, 1, make([]int, 100), func(int) int {
				panic(boom)
			})
			assert.Nil(t, out)
			var pe *scenarios.PanicError
			require.ErrorAs(t, err, &pe, "a panic in f comes back as an error")
			assert.Equal(t, boom, pe.Value)
			assert.ErrorIs(t, err, boom, "the panic value is unwrapped")
			assert.Contains(t, string(pe.Stack), "TestPoolMapRecoversPanics", "the stack is the panicking worker's")
		})
	}
}

// The article's Pool.map: compute_square over [1, 2, 3, 4], results in
// input order whatever worker computed them.
func ExamplePoolMap() {
	results, err := scenarios.PoolMap(context.Background(), 0, 0, []int64{1, 2, 3, 4}, scenarios.Square)
	fmt.Println("Squares:", results, err)
	// Output: Squares: [1 4 9 16] <nil>
}

var poolMapSink []uint64

func BenchmarkPoolMapChunk(b *testing.B) {
	in := make([]int64, 1<<16)
	for i := range in {
		in[i] = int64(i)
	}
	f := func(n int64) uint64 { return uint64(scenarios.Square(n)) }
	for _, chunk := range []int{1, 0} {
		b.Run(fmt.Sprintf("chunk=%d", chunk), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				poolMapSink, _ = scenarios.PoolMap(context.Background(), 0, chunk, in, f)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(in)), "ns/item")
		})
	}
}
