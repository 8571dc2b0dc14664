package perf

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/conclab/conclab/scenarios"
)

// cacheLine keeps two hot values off one cache line (64 bytes on amd64 and
// arm64; 128 also covers the adjacent-line prefetcher of recent x86 cores).
const cacheLine = 128

// Each counter under test sits alone between two pads: a benchmark of a lock
// must measure the lock, not false sharing with whatever the allocator put
// next to it (sync's mutex_test.go pads its PaddedMutex for the same reason).

type paddedMutexCounter struct {
	_ [cacheLine]byte
	scenarios.MutexCounter
	_ [cacheLine]byte
}

type paddedAtomicCounter struct {
	_ [cacheLine]byte
	scenarios.AtomicCounter
	_ [cacheLine]byte
}

// rwCounter is the article's counter behind a sync.RWMutex: Inc takes the
// write lock, Load the read lock.
type rwCounter struct {
	_  [cacheLine]byte
	mu sync.RWMutex
	n  int64
	_  [cacheLine]byte
}

func (c *rwCounter) Inc(int) {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
}

func (c *rwCounter) Load() int64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.n
}

// benchmarkCounter has every goroutine of b.RunParallel (GOMAXPROCS of them)
// hammer one counter. writePct of every 100 operations are increments and
// the others are loads; 100 is increments only. Each goroutine gets its
// own worker index, which the sharded counter uses as its shard. The counter
// is checked at the end: a benchmark of a wrong counter measures nothing.
func benchmarkCounter(b *testing.B, newCounter func(workers int) (scenarios.Counter, func()), writePct int) {
	b.ReportAllocs()
	// RunParallel starts GOMAXPROCS goroutines (times SetParallelism, 1 here).
	procs := parallelism()
	c, closeFn := newCounter(procs)
	defer closeFn()
	var (
		ids    atomic.Int64
		writes atomic.Int64
		sink   atomic.Int64
	)
	b.RunParallel(func(pb *testing.PB) {
		w := int(ids.Add(1)-1) % procs
		var mine, last int64
		for i := 0; pb.Next(); i++ {
			if i%100 < writePct {
				c.Inc(w)
				mine++
			} else {
				last = c.Load()
			}
		}
		writes.Add(mine)
		sink.Add(last)
	})
	if got, want := c.Load(), writes.Load(); got != want {
		b.Fatalf("counter is %d after %d increments", got, want)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
}

// BenchmarkCounter is the Lock section's counter under contention, one
// sub-benchmark per implementation. Run it with -cpu 1,2,4,8: with one P
// every counter is cheap, and the curve as Ps are added is the lesson —
// the single contended cache line (mutex, atomic) gets slower per operation,
// the sharded counter gets faster, and the channel owner is serialised on
// one goroutine whatever the cores.
func BenchmarkCounter(b *testing.B) {
	mutex := func(int) (scenarios.Counter, func()) { return new(paddedMutexCounter), func() {} }
	rw := func(int) (scenarios.Counter, func()) { return new(rwCounter), func() {} }
	for _, bc := range []struct {
		name       string
		newCounter func(workers int) (scenarios.Counter, func())
		writePct   int // increments per 100 operations; the rest are loads
	}{
		{"mutex", mutex, 100},
		{"mutex-read-mostly", mutex, 1}, // the baseline an RWMutex must beat
		{"rwmutex-read-mostly", rw, 1},
		{"rwmutex-write-mostly", rw, 90},
		{"atomic", func(int) (scenarios.Counter, func()) { return new(paddedAtomicCounter), func() {} }, 100},
		{"sharded", func(w int) (scenarios.Counter, func()) { return scenarios.NewShardedCounter(w), func() {} }, 100},
		{"channel", func(int) (scenarios.Counter, func()) {
			c := scenarios.NewChannelCounter()
			return c, c.Close
		}, 100},
	} {
		b.Run(bc.name, func(b *testing.B) { benchmarkCounter(b, bc.newCounter, bc.writePct) })
	}
}
