package scenarios

import (
	"context"
	"fmt"
	"sync"

	"golang.org/x/sync/errgroup"
)

// PipelinePython is the article's best practice "protect shared data using
// locks, queues, or synchronization mechanisms", done with queues: no data
// is shared at all.
// A producer puts items on a channel, a pool of stage workers takes them
// off (fan-out), computes, and puts results on a second channel, and one
// consumer alone owns the running total, so it needs no lock.
//
// The pipeline scenario is CPU-bound: its stage runs the kernel, and the
// queue exists to spread that work over the cores while the producer and
// the consumer stay single goroutines. Its speed-up with GOMAXPROCS, and the
// channel overhead that eats into it, are what the profiler measures; an
// I/O stage would only show the waits overlapping, which download and
// gather already show.
//
// It reads Workers (stage goroutines, default GOMAXPROCS), Items and Work:
// item i is the kernel over [i×Work, (i+1)×Work), so the items together
// cover [0, Items×Work) exactly once and the consumer's total must equal
// SquareNumbers(0, Items×Work). Result.Items is the number of distinct
// items consumed and Result.Total the checksum (as an int64).
const PipelinePython = `q_in, q_out = queue.Queue(), queue.Queue()
def stage():
    while (i := q_in.get()) is not None:
        q_out.put(square_numbers(i))
threads = [threading.Thread(target=stage) for _ in range(4)]`

// Pipeline runs items 0 to n-1 through three stages connected by channels:
// one producer sends them in order; workers goroutines (at least one) each
// take items as they come and call stage; one consumer calls sink with each
// item and its result, in the order results arrive, which is not the input
// order. sink is only ever called from that one goroutine, so it may update
// state without a lock.
//
// The first error from stage or sink, or ctx being done, stops every stage
// and is returned once all of Pipeline's goroutines have exited: none
// outlives the call, whatever the outcome. Items in flight at that point
// are dropped. Pipeline returns nil only if sink accepted all n results.
//
// Each channel is closed once, after its last send: the producer closes the
// items channel, and the results channel, which every worker sends on, is
// closed by a goroutine that waits for all the workers.
//
// Pipeline does not recover panics in stage or sink (errgroup's policy, see
// [Gather]).
func Pipeline[R any](ctx context.Context, n, workers int,
	stage func(ctx context.Context, i int) (R, error),
	sink func(i int, r R) error,
) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	workers = max(workers, 1)
	type result struct {
		i int
		r R
	}
	g, ctx := errgroup.WithContext(ctx)
	// A little buffering lets a worker hand over a result and start the next
	// item while the consumer is busy; the bound keeps memory flat.
	items := make(chan int, workers)
	results := make(chan result, workers)

	g.Go(func() error { // producer
		defer close(items)
		for i := range n {
			select {
			case items <- i:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	})

	var working sync.WaitGroup
	for range workers {
		working.Add(1)
		g.Go(func() error { // stage worker
			defer working.Done()
			for {
				var i int
				select {
				case v, ok := <-items:
					if !ok {
						return nil
					}
					i = v
				case <-ctx.Done():
					return ctx.Err()
				}
				if err := ctx.Err(); err != nil {
					return err // select picks at random among ready cases: cancellation first
				}
				r, err := stage(ctx, i)
				if err != nil {
					return err
				}
				select {
				case results <- result{i, r}:
				case <-ctx.Done():
					return ctx.Err()
				}
			}
		})
	}
	g.Go(func() error { // closer: results has many senders, so it is closed after the last
		working.Wait()
		close(results)
		return nil
	})

	consumed := 0
	g.Go(func() error { // consumer
		for {
			select {
			case res, ok := <-results:
				if !ok {
					return nil
				}
				if err := sink(res.i, res.r); err != nil {
					return err
				}
				consumed++
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	})
	if err := g.Wait(); err != nil {
		return err
	}
	if consumed != n {
		// Unreachable while the stages above are right; kept so that a wrong
		// edit cannot make Pipeline report a short run as a success.
		return fmt.Errorf("pipeline: %d of %d items consumed", consumed, n)
	}
	return nil
}

// pipelineItem is the work of item i: the kernel over its slice of the range.
func pipelineItem(i, work int) uint64 { return SquareNumbers(i*work, (i+1)*work) }

func pipelineRun(ctx context.Context, cfg Config) (Result, error) {
	workers := cfg.WorkerCount()
	seen := make([]bool, cfg.Items)
	var sum uint64
	err := Pipeline(ctx, cfg.Items, workers,
		func(ctx context.Context, i int) (uint64, error) { return pipelineItem(i, cfg.Work), nil },
		func(i int, v uint64) error {
			if seen[i] {
				return fmt.Errorf("pipeline: item %d consumed twice", i)
			}
			seen[i] = true
			sum += v
			return nil
		})
	if err != nil {
		return Result{}, err
	}
	return pipelineResult(cfg.Items, sum, fmt.Sprintf("producer → %d stage workers → consumer", workers)), nil
}

func pipelineSerial(ctx context.Context, cfg Config) (Result, error) {
	var sum uint64
	for i := range cfg.Items {
		if i%256 == 0 && ctx.Err() != nil {
			return Result{}, ctx.Err()
		}
		sum += pipelineItem(i, cfg.Work)
	}
	return pipelineResult(cfg.Items, sum, "one loop"), nil
}

func pipelineResult(items int, sum uint64, how string) Result {
	return Result{
		Items:   items,
		Total:   int64(sum),
		Summary: fmt.Sprintf("%d items consumed once each, checksum %#016x (%s)", items, sum, how),
	}
}

func checkPipeline(cfg Config, res Result) error {
	if res.Items != cfg.Items {
		return fmt.Errorf("%d items consumed, want %d", res.Items, cfg.Items)
	}
	if want := SquareNumbers(0, cfg.Items*cfg.Work); uint64(res.Total) != want {
		return fmt.Errorf("checksum %#016x, want %#016x: an item was lost, duplicated or wrong", uint64(res.Total), want)
	}
	return nil
}

func init() {
	Register(Scenario{
		Name:     "pipeline",
		Section:  Queues,
		Python:   PipelinePython,
		Doc:      "producer → fan-out of stage workers → one consumer over channels: the queue replaces the lock",
		Kind:     CPU,
		Defaults: Config{Items: 1000, Work: 400_000},
		Run:      pipelineRun,
		Serial:   pipelineSerial,
		Check:    checkPipeline,
		Claim: Claim{
			Article: "“Protect shared data using locks, queues, or synchronization mechanisms.”",
			Test:    Parallel,
			Expect:  Supports,
			Go:      "Go: channels carry the work to every core and one consumer owns the total, with no lock",
		},
		Reads: Workers | Items | Work,
	})
}
