package scenarios

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
)

// CounterPython is the article's Lock example, rebuilt four ways right and
// two ways wrong.
//
// Every counter-* scenario reads Workers (threads) and Items (increments
// per worker); its invariant is that the final value is exactly
// Workers × Items. Result.Total is the final value; Result.Data is the
// [Counter] that counted. Each counter's serial baseline is the same
// counter incremented Workers × Items times by one goroutine.
const CounterPython = `counter = 0
lock = threading.Lock()
def increment():
    global counter
    for _ in range(10000):
        with lock:
            counter += 1
threads = [threading.Thread(target=increment) for _ in range(5)]`

// Counter is a counter that many goroutines increment at once.
type Counter interface {
	// Inc adds one on behalf of worker w, 0 ≤ w < the number of workers
	// the counter was made for. It is safe for concurrent use.
	Inc(w int)
	// Load returns the current value. It is safe to call concurrently with Inc.
	Load() int64
}

// MutexCounter is the article's counter: an int guarded by a sync.Mutex.
// The zero value is ready to use.
type MutexCounter struct {
	mu sync.Mutex
	n  int64
}

// Inc adds one under the lock; w is ignored.
func (c *MutexCounter) Inc(w int) {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
}

// Load returns the value under the lock.
func (c *MutexCounter) Load() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// AtomicCounter is a counter with no lock: one atomic add per Inc. The zero
// value is ready to use.
type AtomicCounter struct{ n atomic.Int64 }

// Inc adds one atomically; w is ignored.
func (c *AtomicCounter) Inc(w int) { c.n.Add(1) }

// Load returns the value.
func (c *AtomicCounter) Load() int64 { return c.n.Load() }

// cacheLine is the size that keeps two shards from sharing a cache line on
// the machines conclab runs on (64 bytes on amd64 and arm64; 128 covers the
// adjacent-line prefetcher of recent x86 cores).
const cacheLine = 128

// paddedInt64 is an atomic counter alone on its cache line: without the
// padding, workers writing neighbouring shards would invalidate each other's
// line on every increment (false sharing) and the shards would scale no
// better than one contended counter.
type paddedInt64 struct {
	n atomic.Int64
	_ [cacheLine - 8]byte
}

// ShardedCounter gives each worker its own shard, so that increments never
// contend; Load sums the shards. Make one with [NewShardedCounter].
type ShardedCounter struct{ shards []paddedInt64 }

// NewShardedCounter returns a counter with one shard per worker.
func NewShardedCounter(workers int) *ShardedCounter {
	return &ShardedCounter{shards: make([]paddedInt64, max(workers, 1))}
}

// Inc adds one to worker w's shard. It panics if w is out of range.
func (c *ShardedCounter) Inc(w int) { c.shards[w].n.Add(1) }

// Load sums the shards. Since the counter only grows, the sum read while
// increments go on is a value the counter held at some instant of the call.
func (c *ShardedCounter) Load() int64 {
	var sum int64
	for i := range c.shards {
		sum += c.shards[i].n.Load()
	}
	return sum
}

// ChannelCounter is a counter owned by one goroutine, which alone touches
// the value; Inc and Load are messages to it ("share memory by
// communicating"). Make one with [NewChannelCounter] and stop it with Close.
type ChannelCounter struct {
	inc  chan struct{}
	load chan chan int64
	stop chan struct{}
	done chan struct{}
}

// NewChannelCounter starts the owner goroutine. The caller must call Close.
func NewChannelCounter() *ChannelCounter {
	c := &ChannelCounter{
		inc:  make(chan struct{}),
		load: make(chan chan int64),
		stop: make(chan struct{}),
		done: make(chan struct{}),
	}
	go c.own()
	return c
}

func (c *ChannelCounter) own() {
	defer close(c.done)
	var n int64
	for {
		select {
		case <-c.inc:
			n++
		case reply := <-c.load:
			reply <- n
		case <-c.stop:
			return
		}
	}
}

// Inc sends one increment to the owner; w is ignored. It must not be called
// after Close.
func (c *ChannelCounter) Inc(w int) { c.inc <- struct{}{} }

// Load asks the owner for the value. It must not be called after Close.
func (c *ChannelCounter) Load() int64 {
	reply := make(chan int64, 1)
	c.load <- reply
	return <-reply
}

// Close stops the owner goroutine and waits for it to exit.
func (c *ChannelCounter) Close() {
	close(c.stop)
	<-c.done
}

// lostUpdateCounter is the article's counter with the lock taken out, made
// safe for the race detector: Inc loads, adds one and stores, each step
// atomic but not the three together, exactly as CPython runs `counter += 1`
// without a lock. Two workers that interleave lose an increment. It exists
// as the negative control of the broken variant that runs it.
type lostUpdateCounter struct{ n atomic.Int64 }

// Inc is a read-modify-write that is not atomic as a whole.
func (c *lostUpdateCounter) Inc(w int) { c.n.Store(c.n.Load() + 1) }

// Load returns the value.
func (c *lostUpdateCounter) Load() int64 { return c.n.Load() }

// racyCounter has no synchronisation at all: a data race.
type racyCounter struct{ n int64 }

func (c *racyCounter) Inc(w int)   { c.n++ }
func (c *racyCounter) Load() int64 { return c.n }

// Count increments c Items times from each of Workers goroutines, released
// together by a barrier so that they contend from the first increment, and
// returns the final value. It returns ctx.Err() if ctx is cancelled, after
// every worker has stopped.
func Count(ctx context.Context, c Counter, cfg Config) (int64, error) {
	workers := cfg.WorkerCount()
	start := make(chan struct{})
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			<-start
			for i := range cfg.Items {
				if i%4096 == 0 && ctx.Err() != nil {
					return
				}
				c.Inc(w)
			}
		})
	}
	close(start)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	return c.Load(), nil
}

func counterRun(newCounter func(workers int) (Counter, func())) RunFunc {
	return func(ctx context.Context, cfg Config) (Result, error) {
		c, closeFn := newCounter(cfg.WorkerCount())
		defer closeFn()
		n, err := Count(ctx, c, cfg)
		if err != nil {
			return Result{}, err
		}
		return Result{
			Items:   cfg.WorkerCount() * cfg.Items,
			Total:   n,
			Summary: fmt.Sprintf("final counter value: %d (%d workers × %d increments)", n, cfg.WorkerCount(), cfg.Items),
			Data:    c,
		}, nil
	}
}

func checkCounter(cfg Config, res Result) error {
	want := int64(cfg.WorkerCount()) * int64(cfg.Items)
	if res.Total != want {
		return fmt.Errorf("counter is %d, want %d (%d workers × %d increments): %d increments lost",
			res.Total, want, cfg.WorkerCount(), cfg.Items, want-res.Total)
	}
	return nil
}

func noClose() {}

func init() {
	defaults := Config{Workers: 5, Items: 10_000}
	// Each counter's baseline is the same counter driven by one goroutine
	// doing every increment: its ×serial is what concurrency gains or costs
	// that counter, not a comparison with another counter.
	serialCount := func(newCounter func(workers int) (Counter, func())) RunFunc {
		run := counterRun(newCounter)
		return func(ctx context.Context, cfg Config) (Result, error) {
			one := cfg
			one.Workers = 1
			one.Items = cfg.WorkerCount() * cfg.Items
			res, err := run(ctx, one)
			res.Summary = fmt.Sprintf("final counter value: %d (one goroutine)", res.Total)
			return res, err
		}
	}
	// Only the mutex counter has a lock for goroutines to queue on; the
	// others keep the count exact without one, which the invariant checks.
	noLock := Claim{
		Article: "A Lock “ensures only one thread accesses a resource at a time”.",
		Test:    Checked,
		Expect:  Contradicts,
		Go:      "Go: an exact count needs no lock at all here",
	}
	for _, s := range []struct {
		name, doc  string
		newCounter func(workers int) (Counter, func())
		claim      Claim
		broken     []Variant
	}{
		{
			name:       "counter-mutex",
			doc:        "the article's counter: an int64 guarded by a sync.Mutex",
			newCounter: func(int) (Counter, func()) { return new(MutexCounter), noClose },
			claim: Claim{
				Article: "A Lock “ensures only one thread accesses a resource at a time”.",
				Test:    Contended,
				Expect:  Supports,
				Go:      "Go: sync.Mutex serialises the increments as threading.Lock does",
			},
			broken: []Variant{{
				Name:  "counter-unprotected",
				Fault: Race,
				Doc:   "the lock removed: counter++ from every worker is a data race",
				Run:   counterRun(func(int) (Counter, func()) { return new(racyCounter), noClose }),
			}, {
				Name:  "counter-lost-update",
				Fault: Invariant,
				Doc:   "load, add and store each atomic but not together, like `counter += 1` without the lock: increments are lost",
				Run:   counterRun(func(int) (Counter, func()) { return new(lostUpdateCounter), noClose }),
			}},
		},
		{
			name:       "counter-atomic",
			doc:        "no lock: one atomic.Int64 add per increment",
			newCounter: func(int) (Counter, func()) { return new(AtomicCounter), noClose },
			claim:      noLock,
		},
		{
			name: "counter-sharded",
			doc:  "one cache-line-padded atomic shard per worker, summed at the end: no contention",
			newCounter: func(workers int) (Counter, func()) {
				return NewShardedCounter(workers), noClose
			},
			claim: noLock,
		},
		{
			name: "counter-channel",
			doc:  "one goroutine owns the value; workers send it increments over a channel",
			newCounter: func(int) (Counter, func()) {
				c := NewChannelCounter()
				return c, c.Close
			},
			claim: noLock,
		},
	} {
		Register(Scenario{
			Name:       s.name,
			Section:    Lock,
			Python:     CounterPython,
			Doc:        s.doc,
			Kind:       Sync,
			Defaults:   defaults,
			Run:        counterRun(s.newCounter),
			Serial:     serialCount(s.newCounter),
			Check:      checkCounter,
			Broken:     s.broken,
			Claim:      s.claim,
			Reads:      Workers | Items,
			NewCounter: s.newCounter,
		})
	}
}
