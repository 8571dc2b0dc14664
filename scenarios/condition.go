package scenarios

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

// ConditionPython is the article's Condition: "let threads wait for
// certain conditions before proceeding", here the textbook use, a bounded
// producer/consumer queue.
//
// The condition scenario reads Workers (that many producers and as many
// consumers, default 4), Limit (the queue's capacity) and Items (the items
// produced in all, each an index 0..Items-1 put exactly once). Result.Data
// is a []int32 saying how many times each item was consumed; the invariant
// is that every count is exactly 1, after the queue was closed and every
// consumer has returned.
const ConditionPython = `cond = threading.Condition()
def producer(item):
    with cond:
        while len(queue) == capacity:
            cond.wait()
        queue.append(item)
        cond.notify()
def consumer():
    with cond:
        while not queue:
            cond.wait()
        return queue.pop(0)`

// ErrQueueClosed is returned by [Queue.Put] on a closed queue.
var ErrQueueClosed = errors.New("scenarios: put on a closed queue")

// Queue is a bounded first-in-first-out queue safe for concurrent use,
// built on one mutex and two sync.Cond: producers wait on notFull while the
// queue is full, consumers wait on notEmpty while it is empty. Make one with
// [NewQueue]; the zero value is not usable.
//
// Every Wait sits in a loop that re-checks its condition, since a woken
// goroutine may find the condition false again: another goroutine can take
// the lock first, and a Broadcast wakes waiters whose condition did not
// change. Put and Get Signal, because one item put (or one slot freed)
// satisfies exactly one waiting consumer (or producer), and waking them all
// would only make the rest go back to sleep. Close Broadcasts, because it
// changes the condition of every waiter at once: each of them must wake to
// see the queue closed.
type Queue[T any] struct {
	mu       sync.Mutex
	notEmpty sync.Cond // signalled when an item is put, broadcast on Close
	notFull  sync.Cond // signalled when an item is got, broadcast on Close
	buf      []T       // a ring of len(buf) == capacity slots
	head, n  int       // the oldest item is buf[head]; n items in all
	closed   bool
}

// NewQueue returns an empty queue holding at most capacity items. It panics
// if capacity < 1.
func NewQueue[T any](capacity int) *Queue[T] {
	if capacity < 1 {
		panic(fmt.Sprintf("scenarios: NewQueue(%d): capacity must be at least 1", capacity))
	}
	q := &Queue[T]{buf: make([]T, capacity)}
	q.notEmpty.L = &q.mu
	q.notFull.L = &q.mu
	return q
}

// Put appends v, waiting while the queue is full. It returns
// ErrQueueClosed, without appending, if the queue is or becomes closed, and
// ctx.Err(), without appending, if ctx is done while Put would have to wait
// (a Put that finds room succeeds whatever ctx says).
func (q *Queue[T]) Put(ctx context.Context, v T) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	var stop func() bool
	for !q.closed && q.n == len(q.buf) {
		if err := ctx.Err(); err != nil {
			// The queue is full, so no Signal meant for another producer
			// is lost by giving up here: a producer woken with a free slot
			// takes it, whatever ctx says.
			return err
		}
		if stop == nil {
			// sync.Cond cannot select on ctx.Done(): wake the producers
			// when ctx is done. The lock makes sure the Broadcast cannot
			// fall between our ctx check and our Wait.
			stop = context.AfterFunc(ctx, func() {
				q.mu.Lock()
				q.notFull.Broadcast()
				q.mu.Unlock()
			})
			defer stop()
		}
		q.notFull.Wait()
	}
	if q.closed {
		return ErrQueueClosed
	}
	q.buf[(q.head+q.n)%len(q.buf)] = v
	q.n++
	q.notEmpty.Signal()
	return nil
}

// Get removes and returns the oldest item, waiting while the queue is
// empty. Once the queue is closed, Get still returns the items left in it;
// when it is closed and empty, Get returns the zero value and false. A
// consumer's loop is therefore `for v, ok := q.Get(); ok; v, ok = q.Get()`.
func (q *Queue[T]) Get() (T, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.n == 0 && !q.closed {
		q.notEmpty.Wait()
	}
	var zero T
	if q.n == 0 {
		return zero, false
	}
	v := q.buf[q.head]
	q.buf[q.head] = zero // let the garbage collector have it
	q.head = (q.head + 1) % len(q.buf)
	q.n--
	q.notFull.Signal()
	return v, true
}

// Close closes the queue: later Puts fail with ErrQueueClosed, waiting
// Puts return it, and Gets drain what is left and then return false. It
// wakes every waiter. Closing a closed queue does nothing.
func (q *Queue[T]) Close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.closed = true
	q.notEmpty.Broadcast()
	q.notFull.Broadcast()
}

// Len returns the number of items in the queue.
func (q *Queue[T]) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.n
}

// limitError rejects a Limit of 0 for the scenarios that need one.
func limitError(cfg Config) error {
	if cfg.Limit < 1 {
		return &ConfigError{"limit", cfg.Limit, fmt.Sprintf("must be between 1 and %d for this scenario", MaxLimit)}
	}
	return nil
}

// produceConsume runs the condition scenario on q; closeQueue says whether
// the queue is closed once the producers are done (the broken variant
// forgets).
func produceConsume(ctx context.Context, cfg Config, closeQueue bool) (Result, error) {
	if err := limitError(cfg); err != nil {
		return Result{}, err
	}
	workers := cfg.WorkerCount()
	q := NewQueue[int](cfg.Limit)
	counts := make([]atomic.Int32, cfg.Items)
	var consumed atomic.Int64
	var consumers, producers sync.WaitGroup
	for range workers {
		consumers.Go(func() {
			var n int64
			for v, ok := q.Get(); ok; v, ok = q.Get() {
				counts[v].Add(1)
				n++
			}
			consumed.Add(n)
		})
	}
	Split(cfg.Items, workers, func(_, lo, hi int) {
		producers.Go(func() {
			for i := lo; i < hi; i++ {
				if q.Put(ctx, i) != nil {
					return
				}
			}
		})
	})
	producers.Wait()
	if closeQueue {
		q.Close()
	}
	consumers.Wait()
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	return conditionResult(cfg, counts, consumed.Load(),
		fmt.Sprintf("%d producers, %d consumers, capacity %d", workers, workers, cfg.Limit)), nil
}

func conditionResult(cfg Config, counts []atomic.Int32, consumed int64, how string) Result {
	data := make([]int32, len(counts))
	for i := range counts {
		data[i] = counts[i].Load()
	}
	return Result{
		Items:   int(consumed),
		Total:   consumed,
		Summary: fmt.Sprintf("%d items through a bounded sync.Cond queue (%s)", consumed, how),
		Data:    data,
	}
}

func conditionRun(ctx context.Context, cfg Config) (Result, error) {
	return produceConsume(ctx, cfg, true)
}

func conditionSerial(ctx context.Context, cfg Config) (Result, error) {
	if err := limitError(cfg); err != nil {
		return Result{}, err
	}
	q := NewQueue[int](cfg.Limit)
	counts := make([]atomic.Int32, cfg.Items)
	for i := range cfg.Items {
		if err := ctx.Err(); err != nil {
			return Result{}, err
		}
		if err := q.Put(ctx, i); err != nil {
			return Result{}, err
		}
		v, _ := q.Get()
		counts[v].Add(1)
	}
	q.Close()
	return conditionResult(cfg, counts, int64(cfg.Items), "one goroutine, put then get"), nil
}

func conditionCheck(cfg Config, res Result) error {
	counts, ok := res.Data.([]int32)
	if !ok {
		return fmt.Errorf("result data is %T, want []int32", res.Data)
	}
	if len(counts) != cfg.Items {
		return fmt.Errorf("%d item counts, want %d", len(counts), cfg.Items)
	}
	for i, c := range counts {
		if c != 1 {
			return fmt.Errorf("item %d consumed %d times, want exactly once", i, c)
		}
	}
	if res.Items != cfg.Items {
		return fmt.Errorf("%d items consumed, want %d", res.Items, cfg.Items)
	}
	return nil
}

func init() {
	Register(Scenario{
		Name:     "condition",
		Section:  Condition,
		Python:   ConditionPython,
		Doc:      "a bounded FIFO queue on sync.Cond (Wait in a loop, Signal per item, Broadcast on Close) between producers and consumers",
		Kind:     Sync,
		Defaults: Config{Workers: 4, Items: 10_000, Limit: 8},
		Run:      conditionRun,
		Serial:   conditionSerial,
		Check:    conditionCheck,
		Claim: Claim{
			Article: "A Condition lets “threads wait for certain conditions before proceeding”.",
			Test:    Waited,
			Expect:  Supports,
			Go:      "Go: sync.Cond waits as Python's Condition does; a channel often does the same with less code",
		},
		Reads: Workers | Items | Limit,
		Broken: []Variant{{
			Name:  "condition-no-close",
			Fault: Deadlock,
			Doc: "the producers finish but nobody closes the queue: every consumer waits on the Cond forever " +
				"and Run waits for them (deterministic whatever the schedule, unlike a Signal on Close, which deadlocks only if two consumers already wait)",
			Run: func(ctx context.Context, cfg Config) (Result, error) { return produceConsume(ctx, cfg, false) },
		}},
	})
}
