package scenarios

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/sync/errgroup"
)

// GatherPython is the article's AsyncIO example: three coroutines awaited
// together.
//
// The gather scenarios read Items (tasks) and Latency (each task's wait);
// gather-limit also reads Limit, the most tasks running at once, as a
// semaphore around each coroutine would bound it in Python. Task i returns
// i: Result.Data is the []int of results, which must read 0, 1, 2, ... in
// input order; Result.Total is their sum and Result.MaxConcurrent the peak
// number of tasks running at once.
const GatherPython = `async def fetch_data(task_id):
    print(f"Fetching data for task {task_id}...")
    await asyncio.sleep(2)
    print(f"Data fetched for task {task_id}.")

async def main():
    tasks = [fetch_data(i) for i in range(3)]
    await asyncio.gather(*tasks)`

// GatherLimitPython is the AsyncIO example with a semaphore around each
// coroutine: at most two tasks run at once. The gather-limit scenario
// reads Limit besides what gather reads.
const GatherLimitPython = `sem = asyncio.Semaphore(2)

async def fetch_data(task_id):
    async with sem:
        await asyncio.sleep(2)

async def main():
    tasks = [fetch_data(i) for i in range(6)]
    await asyncio.gather(*tasks)`

// Gather runs every task concurrently, at most limit at a time (limit ≤ 0
// means no limit), and returns their results in input order: the result of
// tasks[i] at index i. It is asyncio.gather with a bound.
//
// Each task receives a context that is cancelled as soon as one task
// returns an error, or when ctx is done. The first error is returned, once
// every started task has returned; tasks not yet started by then are never
// started, and the results are discarded. If ctx is done before every task
// has started, Gather returns ctx.Err().
//
// Gather does not recover panics: a task that panics crashes the program.
// This is errgroup's policy, which Gather is built on: a panic is a bug,
// and recovering it in a goroutine would hide where it happened.
func Gather[T any](ctx context.Context, limit int, tasks []func(context.Context) (T, error)) ([]T, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	results := make([]T, len(tasks))
	g, gctx := errgroup.WithContext(ctx)
	if limit > 0 {
		g.SetLimit(limit)
	}
	started := 0
	for i, task := range tasks {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err // cancelled while this task waited for a slot
			}
			v, err := task(gctx)
			if err != nil {
				return err
			}
			results[i] = v
			return nil
		})
		started++
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if started < len(tasks) {
		return nil, ctx.Err()
	}
	return results, nil
}

// fetchData returns the n tasks of the article's fetch_data: task i waits
// latency, counted by g while it waits, and returns i.
func fetchData(n int, latency time.Duration, g *Gauge) []func(context.Context) (int, error) {
	tasks := make([]func(context.Context) (int, error), n)
	for i := range tasks {
		tasks[i] = func(ctx context.Context) (int, error) {
			g.Enter()
			defer g.Leave()
			if err := Sleep(ctx, latency); err != nil {
				return 0, err
			}
			return i, nil
		}
	}
	return tasks
}

func gatherRun(useLimit bool) RunFunc {
	return func(ctx context.Context, cfg Config) (Result, error) {
		var running Gauge
		limit := 0
		if useLimit {
			limit = cfg.Limit
		}
		results, err := Gather(ctx, limit, fetchData(cfg.Items, cfg.Latency, &running))
		if err != nil {
			return Result{}, err
		}
		how := "all at once"
		if limit > 0 {
			how = fmt.Sprintf("at most %d at once", limit)
		}
		return gatherResult(results, running.Peak(), how), nil
	}
}

// gatherSerial awaits the same tasks one after another.
func gatherSerial(ctx context.Context, cfg Config) (Result, error) {
	var running Gauge
	results := make([]int, cfg.Items)
	for i, task := range fetchData(cfg.Items, cfg.Latency, &running) {
		v, err := task(ctx)
		if err != nil {
			return Result{}, err
		}
		results[i] = v
	}
	return gatherResult(results, running.Peak(), "one after another"), nil
}

func gatherResult(results []int, peak int, how string) Result {
	var sum int64
	for _, v := range results {
		sum += int64(v)
	}
	return Result{
		Items:         len(results),
		Total:         sum,
		MaxConcurrent: peak,
		Summary:       fmt.Sprintf("%d results in input order, %s; peak %d running", len(results), how, peak),
		Data:          results,
	}
}

func checkGather(useLimit bool) func(Config, Result) error {
	return func(cfg Config, res Result) error {
		results, ok := res.Data.([]int)
		if !ok {
			return fmt.Errorf("result data is %T, want []int", res.Data)
		}
		if len(results) != cfg.Items || res.Items != cfg.Items {
			return fmt.Errorf("%d results (%d counted), want %d", len(results), res.Items, cfg.Items)
		}
		for i, v := range results {
			if v != i {
				return fmt.Errorf("result %d is %d, want %d: results out of input order", i, v, i)
			}
		}
		if want := int64(cfg.Items) * int64(cfg.Items-1) / 2; res.Total != want {
			return fmt.Errorf("results sum to %d, want %d", res.Total, want)
		}
		bound := cfg.Items
		if useLimit && cfg.Limit > 0 {
			bound = min(bound, cfg.Limit)
		}
		if res.MaxConcurrent > bound {
			return fmt.Errorf("%d tasks ran at once, want at most %d", res.MaxConcurrent, bound)
		}
		if cfg.Items > 0 && res.MaxConcurrent < 1 {
			return fmt.Errorf("peak of %d tasks running, want at least 1", res.MaxConcurrent)
		}
		return nil
	}
}

func init() {
	Register(Scenario{
		Name:     "gather",
		Section:  AsyncIO,
		Python:   GatherPython,
		Doc:      "asyncio.gather as an errgroup: every task at once, results in input order, the first error cancels the rest",
		Kind:     IO,
		Defaults: Config{Items: 3, Latency: 100 * time.Millisecond},
		Run:      gatherRun(false),
		Serial:   gatherSerial,
		Check:    checkGather(false),
		Claim: Claim{
			Article: "AsyncIO is “perfect for applications that need to handle many I/O operations without blocking”.",
			Test:    Overlap,
			Expect:  Supports,
			Go:      "Go: an errgroup of goroutines overlaps the waits as asyncio.gather does, with no event loop to keep unblocked",
		},
		Reads:  Items | Latency,
		Timing: oneWait,
	})
	Register(Scenario{
		Name:     "gather-limit",
		Section:  AsyncIO,
		Python:   GatherLimitPython,
		Doc:      "gather with errgroup.SetLimit: at most Limit tasks run at once, so n tasks take ceil(n/Limit) waits",
		Kind:     IO,
		Defaults: Config{Items: 6, Latency: 50 * time.Millisecond, Limit: 2},
		Run:      gatherRun(true),
		Serial:   gatherSerial,
		Check:    checkGather(true),
		Claim: Claim{
			Article: "AsyncIO is “perfect for applications that need to handle many I/O operations without blocking”.",
			Test:    Overlap,
			Expect:  Supports,
			Go:      "Go: errgroup.SetLimit bounds the waits in flight as a semaphore around each coroutine does",
		},
		Reads:  Items | Latency | Limit,
		Timing: waitsPerPermit,
	})
}
