package scenarios

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/semaphore"
)

// SemaphorePython is the article's Semaphore: "allows a limited number of
// threads to access a resource".
//
// Every semaphore-* scenario reads Items (the tasks, one goroutine each),
// Limit (the permits) and Latency (how long a task holds its permit, waited
// with [Sleep], so virtual and exact in a testing/synctest bubble: N tasks
// on K permits take exactly ceil(N/K)×Latency). Result.MaxConcurrent is the
// peak number of tasks seen holding a permit at once; the invariant is that
// it never exceeds Limit and that every task ran.
const SemaphorePython = `sem = threading.Semaphore(3)
def task():
    with sem:
        use_resource()   # time.sleep(latency)
threads = [threading.Thread(target=task) for _ in range(N)]`

// Limiter is what a semaphore scenario needs of its semaphore: Acquire
// blocks until a permit is free or ctx is done (then it returns ctx.Err()
// and holds nothing); Release gives back a permit acquired before.
type Limiter interface {
	Acquire(ctx context.Context) error
	Release()
}

// ChanSemaphore is a counting semaphore made of a buffered channel: a send
// takes a permit, a receive gives it back, and the channel's capacity is the
// number of permits. Make one with [NewChanSemaphore].
type ChanSemaphore chan struct{}

// NewChanSemaphore returns a semaphore with n permits, n ≥ 1.
func NewChanSemaphore(n int) ChanSemaphore { return make(ChanSemaphore, n) }

// Acquire takes a permit, waiting for one if none is free. If ctx is done
// first it returns ctx.Err() and takes nothing.
func (s ChanSemaphore) Acquire(ctx context.Context) error {
	select {
	case s <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Release gives back a permit. Releasing a permit that was not acquired
// blocks forever: it is a programming error, as with sync.Mutex.Unlock.
func (s ChanSemaphore) Release() { <-s }

// weighted adapts semaphore.Weighted to a Limiter: each task weighs 1.
type weighted struct{ w *semaphore.Weighted }

func (s weighted) Acquire(ctx context.Context) error { return s.w.Acquire(ctx, 1) }
func (s weighted) Release()                          { s.w.Release(1) }

// UseLimited runs cfg.Items tasks, one goroutine each, every one holding a
// permit of sem while it waits cfg.Latency, and returns how many completed
// and the peak number of holders. On cancellation it returns ctx.Err()
// after every task has stopped; a task cancelled while waiting for a permit
// never holds one.
func UseLimited(ctx context.Context, sem Limiter, cfg Config) (done, peak int, err error) {
	var g Gauge
	var completed atomic.Int64
	var wg sync.WaitGroup
	for range cfg.Items {
		wg.Go(func() {
			if sem.Acquire(ctx) != nil {
				return
			}
			g.Enter()
			err := Sleep(ctx, cfg.Latency)
			g.Leave()
			sem.Release()
			if err == nil {
				completed.Add(1)
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return int(completed.Load()), g.Peak(), err
	}
	return int(completed.Load()), g.Peak(), nil
}

// useUnbounded is the broken version: the task uses the resource first and
// only then takes and gives back its permit, so the semaphore bounds
// nothing and every task holds the resource at once.
func useUnbounded(ctx context.Context, sem Limiter, cfg Config) (done, peak int, err error) {
	var g Gauge
	var completed atomic.Int64
	var wg sync.WaitGroup
	for range cfg.Items {
		wg.Go(func() {
			g.Enter()
			err := Sleep(ctx, cfg.Latency)
			g.Leave()
			if err != nil || sem.Acquire(ctx) != nil {
				return
			}
			sem.Release()
			completed.Add(1)
		})
	}
	wg.Wait()
	return int(completed.Load()), g.Peak(), ctx.Err()
}

func semaphoreRun(newSem func(permits int) Limiter, use func(context.Context, Limiter, Config) (int, int, error), how string) RunFunc {
	return func(ctx context.Context, cfg Config) (Result, error) {
		if err := limitError(cfg); err != nil {
			return Result{}, err
		}
		done, peak, err := use(ctx, newSem(cfg.Limit), cfg)
		if err != nil {
			return Result{}, err
		}
		return Result{
			Items:         done,
			Total:         int64(done),
			MaxConcurrent: peak,
			Summary: fmt.Sprintf("%d tasks, at most %d of %d permits held at once (%s), each for %v",
				done, peak, cfg.Limit, how, cfg.Latency),
		}, nil
	}
}

func semaphoreSerial(ctx context.Context, cfg Config) (Result, error) {
	for range cfg.Items {
		if err := Sleep(ctx, cfg.Latency); err != nil {
			return Result{}, err
		}
	}
	return Result{
		Items:         cfg.Items,
		Total:         int64(cfg.Items),
		MaxConcurrent: min(cfg.Items, 1),
		Summary:       fmt.Sprintf("%d tasks one after the other, each for %v", cfg.Items, cfg.Latency),
	}, nil
}

func semaphoreCheck(cfg Config, res Result) error {
	if res.MaxConcurrent > cfg.Limit {
		return fmt.Errorf("%d tasks held the resource at once, want at most %d (the permits)", res.MaxConcurrent, cfg.Limit)
	}
	if res.Items != cfg.Items {
		return fmt.Errorf("%d tasks completed, want all %d", res.Items, cfg.Items)
	}
	if cfg.Items > 0 && res.MaxConcurrent < 1 {
		return fmt.Errorf("no task was seen holding the resource, want at least 1 of %d", cfg.Items)
	}
	return nil
}

func init() {
	newChan := func(n int) Limiter { return NewChanSemaphore(n) }
	newWeighted := func(n int) Limiter { return weighted{semaphore.NewWeighted(int64(n))} }
	// 12 tasks on 3 permits, 20ms each: 4 rounds, 80ms.
	defaults := Config{Items: 12, Limit: 3, Latency: 20 * time.Millisecond}
	Register(Scenario{
		Name:     "semaphore",
		Section:  Semaphore,
		Python:   SemaphorePython,
		Doc:      "a buffered channel as a counting semaphore: send to acquire, receive to release; one goroutine per task",
		Kind:     Sync,
		Defaults: defaults,
		Run:      semaphoreRun(newChan, UseLimited, "channel semaphore"),
		Serial:   semaphoreSerial,
		Check:    semaphoreCheck,
		Claim: Claim{
			Article: "A Semaphore “allows a limited number of threads to access a resource”.",
			Test:    Bounded,
			Expect:  Supports,
			Go:      "Go: a buffered channel is a counting semaphore: never more holders than permits",
		},
		Reads:  Items | Latency | Limit,
		Timing: waitsPerPermit,
		Broken: []Variant{{
			Name:  "semaphore-unbounded",
			Fault: Invariant,
			Doc:   "each task uses the resource before it acquires the semaphore, so every task holds it at once",
			Run:   semaphoreRun(newChan, useUnbounded, "permit taken after use"),
		}},
	})
	Register(Scenario{
		Name:     "semaphore-weighted",
		Section:  Semaphore,
		Python:   SemaphorePython,
		Doc:      "golang.org/x/sync/semaphore.Weighted, each task weighing 1: FIFO wake-ups and context-aware Acquire",
		Kind:     Sync,
		Defaults: defaults,
		Run:      semaphoreRun(newWeighted, UseLimited, "semaphore.Weighted"),
		Serial:   semaphoreSerial,
		Check:    semaphoreCheck,
		Claim: Claim{
			Article: "A Semaphore “allows a limited number of threads to access a resource”.",
			Test:    Bounded,
			Expect:  Supports,
			Go:      "Go: semaphore.Weighted bounds the holders and wakes them in order",
		},
		Reads:  Items | Latency | Limit,
		Timing: waitsPerPermit,
	})
}
