package scenarios

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// PoolMapPython is the article's multiprocessing example.
//
// pool-map reads Workers (the pool's size, default GOMAXPROCS), Items (the
// numbers 1..Items) and Work (the kernel iterations per number; 0 means the
// article's bare compute_square, and 1, which the command line can ask
// for, is the tiny-item case there). Result.Data is the []uint64 of results
// in input order; Result.Total is their wrapping sum, as an int64.
const PoolMapPython = `def compute_square(n):
    return n * n
numbers = [1, 2, 3, 4]
with multiprocessing.Pool() as pool:
    results = pool.map(compute_square, numbers)`

// AutoChunk is the chunk size [PoolMap] uses when it is given none: n
// split into four chunks per worker, rounded up, as Python's Pool.map picks
// its chunksize. Four chunks a worker balance uneven items while keeping the
// hand-out cost to a few atomic adds per worker. It is at least 1.
func AutoChunk(n, workers int) int {
	workers = max(workers, 1)
	return max((n+4*workers-1)/(4*workers), 1)
}

// PoolMap applies f to every element of in on a pool of workers goroutines
// and returns the results in input order: out[i] = f(in[i]). It is
// Pool.map: a bounded pool, whatever the length of in.
//
// workers ≤ 0 means runtime.GOMAXPROCS(0); no more goroutines are started
// than there are chunks. Work is handed out in chunks of chunk contiguous
// indices (chunk ≤ 0 means [AutoChunk]) through one atomic cursor, so that
// tiny items do not pay a synchronisation per item; each worker writes its
// results straight into the output slice, at indices no other worker
// touches, so no lock is needed.
//
// If ctx is cancelled, the workers stop at the next chunk boundary and
// PoolMap returns ctx.Err() (a chunk already started runs to its end).
//
// If f panics, PoolMap recovers the panic in the worker, hands out no new
// chunk, waits for the other workers and returns a *[PanicError] with the
// panic value and the worker's stack, as Pool.map re-raises a worker's
// exception in the caller. Only the first panic is reported.
//
// Whatever the outcome, no goroutine started by PoolMap is running when it
// returns; on error the results are nil.
func PoolMap[T, R any](ctx context.Context, workers, chunk int, in []T, f func(T) R) ([]R, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	n := len(in)
	if chunk <= 0 {
		chunk = AutoChunk(n, workers)
	}
	out := make([]R, n)
	chunks := (n + chunk - 1) / chunk
	workers = min(workers, chunks)

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	done := ctx.Done()
	var next atomic.Int64 // the next chunk to hand out
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			defer func() {
				if v := recover(); v != nil {
					cancel(&PanicError{Value: v, Stack: debug.Stack()})
				}
			}()
			for {
				// A non-blocking receive on an open channel takes no lock:
				// the check is cheap enough to make once per chunk.
				select {
				case <-done:
					return
				default:
				}
				c := int(next.Add(1) - 1)
				if c >= chunks {
					return
				}
				lo := c * chunk
				hi := min(lo+chunk, n)
				for i := lo; i < hi; i++ {
					out[i] = f(in[i])
				}
			}
		})
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return nil, err
	}
	return out, nil
}

// PoolItem is the function pool-map maps over the numbers 1..Items: with
// work = 0 it is the article's compute_square, n*n; with work > 0 it runs
// the kernel over the n-th block of work integers, SquareNumbers((n-1)*work,
// n*work), so that items 1..N together do exactly the work of
// SquareNumbers(0, N*work).
func PoolItem(n int64, work int) uint64 {
	if work == 0 {
		return uint64(Square(n))
	}
	w := int(n-1) * work
	return SquareNumbers(w, w+work)
}

// poolNumbers returns the article's numbers: 1, 2, ..., items.
func poolNumbers(items int) []int64 {
	in := make([]int64, items)
	for i := range in {
		in[i] = int64(i + 1)
	}
	return in
}

// poolExpected returns what PoolMap must return for the pool-map scenario.
func poolExpected(items, work int) []uint64 {
	want := make([]uint64, items)
	for i := range want {
		want[i] = PoolItem(int64(i+1), work)
	}
	return want
}

func poolResult(cfg Config, how string, out []uint64) Result {
	var sum uint64
	for _, r := range out {
		sum += r
	}
	var summary string
	if cfg.Work == 0 && len(out) <= 8 {
		summary = fmt.Sprintf("Squares: %v (%s)", out, how)
	} else {
		summary = fmt.Sprintf("mapped %d numbers × %d kernel iterations (%s): checksum %#016x", len(out), cfg.Work, how, sum)
	}
	return Result{Items: len(out), Total: int64(sum), Summary: summary, Data: out}
}

func poolMapRun(ctx context.Context, cfg Config) (Result, error) {
	workers := cfg.WorkerCount()
	in := poolNumbers(cfg.Items)
	out, err := PoolMap(ctx, workers, 0, in, func(n int64) uint64 { return PoolItem(n, cfg.Work) })
	if err != nil {
		return Result{}, err
	}
	return poolResult(cfg, fmt.Sprintf("pool of %d workers, chunks of %d", workers, AutoChunk(cfg.Items, workers)), out), nil
}

func poolMapSerial(ctx context.Context, cfg Config) (Result, error) {
	out := make([]uint64, cfg.Items)
	for i := range out {
		if i%1024 == 0 && ctx.Err() != nil {
			return Result{}, ctx.Err()
		}
		out[i] = PoolItem(int64(i+1), cfg.Work)
	}
	return poolResult(cfg, "one goroutine", out), nil
}

func poolMapCheck(cfg Config, res Result) error {
	got, ok := res.Data.([]uint64)
	if !ok {
		return fmt.Errorf("result data is %T, want []uint64", res.Data)
	}
	if len(got) != cfg.Items || res.Items != cfg.Items {
		return fmt.Errorf("%d results (Items %d), want %d: one per number", len(got), res.Items, cfg.Items)
	}
	want := poolExpected(cfg.Items, cfg.Work)
	for i := range want {
		if got[i] != want[i] {
			return fmt.Errorf("result %d is %d, want f(%d) = %d: results out of input order or wrong", i, got[i], i+1, want[i])
		}
	}
	return nil
}

func init() {
	Register(Scenario{
		Name:    "pool-map",
		Section: Multiprocessing,
		Python:  PoolMapPython,
		Doc: "Pool.map as a bounded pool of GOMAXPROCS goroutines handing out contiguous chunks of the input " +
			"through one atomic cursor; results written in place, in input order",
		Kind: CPU,
		// 10 000 numbers × 40 000 iterations: about half a second of
		// SquareNumbers on one core of the reference machine (≈1.2 ns an
		// iteration), in items big enough that chunking is not the story.
		Defaults: Config{Items: 10_000, Work: 40_000},
		Run:      poolMapRun,
		Serial:   poolMapSerial,
		Check:    poolMapCheck,
		Claim: Claim{
			Article: "“Due to the GIL, threads cannot achieve true parallelism for CPU-heavy tasks”: Pool.map needs processes to use the cores.",
			Test:    Parallel,
			Expect:  Contradicts,
			Go:      "Go: a pool of goroutines maps over every core; processes not needed",
		},
		Reads: Workers | Items | Work,
	})
}
