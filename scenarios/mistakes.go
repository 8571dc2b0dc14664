package scenarios

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Two mistakes every concurrent program makes once, each with its fix.

// ForgottenJoinPython is the article's `p.join()` left out: the program
// reads the workers' results before they are all written.
//
// The forgotten-join scenario reads Workers, Items (the numbers 1..Items,
// split into one contiguous part per worker) and Work (kernel iterations
// per number, as in pool-map); Result.Total is the wrapping sum of
// [PoolItem] over the numbers, as an int64, and the invariant is that it
// equals the serial sum.
const ForgottenJoinPython = `processes = [multiprocessing.Process(target=work, args=(part,)) for part in parts]
for p in processes:
    p.start()
# for p in processes:
#     p.join()          # forgotten: the results are read too early
print(sum(results))`

// LeakPython is "first answer wins" done wrong: the losing replicas block
// forever on a queue nobody reads.
//
// The leak scenario reads Workers (replicas), Items (the query: the answer
// is its square) and Latency: replica w answers after (w+1)×Latency, and
// the caller keeps the first answer. Done wrong, the losing replicas block
// forever sending answers nobody will read: goroutines leaked, one per
// loser. Result.Total is the answer and Result.Data the index of the
// replica that won (an int).
const LeakPython = `def replica(q, query):
    q.put(answer(query))            # blocks forever if nobody reads q
q = multiprocessing.Queue(maxsize=1)
for _ in range(workers):
    multiprocessing.Process(target=replica, args=(q, query)).start()
first = q.get()                     # the other replicas are never joined`

// joinResults has Workers goroutines fill results with PoolItem over
// 1..Items and sums them. With join, it waits for the workers before
// reading; without, it reads first and waits after (so that no goroutine
// outlives the call): a data race and, most of the time, a wrong sum.
func joinResults(ctx context.Context, cfg Config, join bool) (Result, error) {
	workers := cfg.WorkerCount()
	results := make([]uint64, cfg.Items)
	var wg sync.WaitGroup
	Split(cfg.Items, workers, func(_, lo, hi int) {
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				if i%1024 == 0 && ctx.Err() != nil {
					return
				}
				results[i] = PoolItem(int64(i+1), cfg.Work)
			}
		})
	})
	if join {
		wg.Wait()
	}
	var sum uint64
	for _, r := range results {
		sum += r
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	return Result{
		Items:   cfg.Items,
		Total:   int64(sum),
		Summary: fmt.Sprintf("sum of %d results from %d workers: %#016x", cfg.Items, workers, sum),
	}, nil
}

func forgottenJoinSerial(ctx context.Context, cfg Config) (Result, error) {
	var sum uint64
	for i := range cfg.Items {
		if i%1024 == 0 && ctx.Err() != nil {
			return Result{}, ctx.Err()
		}
		sum += PoolItem(int64(i+1), cfg.Work)
	}
	return Result{
		Items:   cfg.Items,
		Total:   int64(sum),
		Summary: fmt.Sprintf("sum of %d results from one goroutine: %#016x", cfg.Items, sum),
	}, nil
}

// joinWant is the sum of PoolItem over 1..items.
func joinWant(items, work int) uint64 {
	if work > 0 {
		return SquareNumbers(0, items*work)
	}
	var sum uint64
	for n := range int64(items) {
		sum += uint64(Square(n + 1))
	}
	return sum
}

func forgottenJoinCheck(cfg Config, res Result) error {
	if want := joinWant(cfg.Items, cfg.Work); uint64(res.Total) != want {
		return fmt.Errorf("sum %#016x, want %#016x: results read before every worker had written its own", uint64(res.Total), want)
	}
	if res.Items != cfg.Items {
		return fmt.Errorf("%d results, want %d", res.Items, cfg.Items)
	}
	return nil
}

// replicaAnswer is the query every replica answers: the square of Items.
func replicaAnswer(cfg Config) int64 { return Square(int64(cfg.Items)) }

// firstAnswer is the fixed "first answer wins": the replicas' channel has a
// slot for every replica, so a loser's send never blocks, and the losers are
// cancelled and waited for before firstAnswer returns.
func firstAnswer(ctx context.Context, cfg Config) (Result, error) {
	workers := cfg.WorkerCount()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type answer struct {
		replica int
		v       int64
	}
	answers := make(chan answer, workers) // buffered: a replica that loses never blocks
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			if Sleep(ctx, time.Duration(w+1)*cfg.Latency) != nil {
				return
			}
			answers <- answer{w, replicaAnswer(cfg)}
		})
	}
	var first answer
	var err error
	select {
	case first = <-answers:
	case <-ctx.Done():
		err = ctx.Err()
	}
	cancel()
	wg.Wait()
	if err != nil {
		return Result{}, err
	}
	return Result{
		Items:   1,
		Total:   first.v,
		Summary: fmt.Sprintf("replica %d answered %d first; the %d others were cancelled and joined", first.replica, first.v, workers-1),
		Data:    first.replica,
	}, nil
}

// leakyWorker is the replica of leak-blocked: it ignores every context,
// waits d and sends its answer on an unbuffered channel. When it loses, no
// one ever receives, and it blocks in the send forever. It is a named
// function so that goleak's report names the leaked goroutines.
func leakyWorker(d time.Duration, v int64, answers chan<- int64) {
	_ = Sleep(context.Background(), d)
	answers <- v
}

// leakFirstAnswer is the broken "first answer wins": the replicas send on
// an unbuffered channel, and it returns after the first answer without
// cancelling or joining the others, leaving Workers-1 goroutines blocked in
// leakyWorker. Its Result.Data is a func() that releases them: it receives
// the losers' answers and waits for the goroutines to exit. The correctness
// suite calls it once, after goleak has seen the leak, so that the test
// binary itself ends clean.
func leakFirstAnswer(ctx context.Context, cfg Config) (Result, error) {
	workers := cfg.WorkerCount()
	answers := make(chan int64) // unbuffered, and nobody reads after the first
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() { leakyWorker(time.Duration(w+1)*cfg.Latency, replicaAnswer(cfg), answers) })
	}
	first := <-answers
	release := func() {
		for range workers - 1 {
			<-answers
		}
		wg.Wait()
	}
	return Result{
		Items:   1,
		Total:   first,
		Summary: fmt.Sprintf("first answer %d; %d replicas left blocked in leakyWorker", first, workers-1),
		Data:    release,
	}, nil
}

func firstAnswerCheck(cfg Config, res Result) error {
	if want := replicaAnswer(cfg); res.Total != want || res.Items != 1 {
		return fmt.Errorf("answer %d (%d answers), want one answer, %d", res.Total, res.Items, want)
	}
	return nil
}

func init() {
	Register(Scenario{
		Name:    "forgotten-join",
		Section: Mistakes,
		Python:  ForgottenJoinPython,
		Doc:     "workers fill their parts of a results slice; the caller reads it only after wg.Wait, the join",
		Kind:    CPU,
		// A few milliseconds: the mistake, not the speed, is the point.
		Defaults: Config{Workers: 4, Items: 1000, Work: 1000},
		Run:      func(ctx context.Context, cfg Config) (Result, error) { return joinResults(ctx, cfg, true) },
		Serial:   forgottenJoinSerial,
		Check:    forgottenJoinCheck,
		Claim: Claim{
			Article: "“The join() method is used to ensure that the main program waits for all processes to complete before exiting.”",
			Test:    Checked,
			Expect:  Supports,
			Go:      "Go: wg.Wait is the join; left out, the race detector catches the early read (make test)",
		},
		Reads: Workers | Items | Work,
		Broken: []Variant{{
			Name:  "forgotten-join-broken",
			Fault: Race,
			Doc:   "the results are summed before wg.Wait: a data race with the workers and, most of the time, a wrong sum",
			Run:   func(ctx context.Context, cfg Config) (Result, error) { return joinResults(ctx, cfg, false) },
		}},
	})
	Register(Scenario{
		Name:    "leak",
		Section: Mistakes,
		Python:  LeakPython,
		Doc: "first answer wins: replicas send on a channel with a slot for each, the losers are cancelled " +
			"through the context and joined before returning, so no goroutine outlives the call",
		Kind:     IO,
		Defaults: Config{Workers: 4, Items: 12, Latency: 10 * time.Millisecond},
		Run:      firstAnswer,
		Check:    firstAnswerCheck,
		Claim: Claim{
			Article: "“Using multiprocessing for I/O tasks wastes memory and CPU”: waiting should cost neither.",
			Test:    Idle,
			Expect:  Supports,
			Go:      "Go: waiting goroutines cost no CPU, and cancelled losers are joined, not leaked",
		},
		Reads: Workers | Items | Latency,
		// Replica w answers after (w+1)×Latency: the first answer comes
		// at one latency and the others are cancelled at once.
		Timing: &Timing{Run: func(cfg Config) time.Duration { return cfg.Latency }},
		Broken: []Variant{{
			Name:  "leak-blocked",
			Fault: Leak,
			Doc: "the replicas send on an unbuffered channel and nobody reads after the first answer: " +
				"Workers-1 goroutines blocked forever in leakyWorker; Result.Data is a func() that releases them",
			Run: leakFirstAnswer,
		}},
	})
}
