package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// level is a cause's intensity: the share of each op the cause takes.
type level struct {
	name string
	// dominant levels must be named right; a mild one may also scale.
	dominant bool
	f        float64
}

var levels = []level{{"dominant", true, 0.9}, {"medium", false, 0.5}, {"mild", false, 0.1}}

// cause is one row of the corpus: the verdict it must get and the body of
// a benchmark at intensity f, with W the units of work of one op (about
// 1 ns each) drawn from the seed. Bodies use the helpers of prelude.
type cause struct {
	name   string
	expect string
	body   func(f float64, w int) string
}

var causes = []cause{
	{"Mutex", "contention", func(f float64, w int) string {
		return fmt.Sprintf(`var mu sync.Mutex
	b.RunParallel(func(pb *testing.PB) {
		var s uint64
		for pb.Next() {
			s += work(s, %d)
			mu.Lock()
			s += work(s, %d)
			mu.Unlock()
		}
		sink.Add(s)
	})`, int(float64(w)*(1-f)), int(float64(w)*f))
	}},
	{"RWMutex", "contention", func(f float64, w int) string {
		// A writer every 8 ops holds the lock for the share f of 8 ops.
		return fmt.Sprintf(`var rw sync.RWMutex
	var ops atomic.Uint64
	b.RunParallel(func(pb *testing.PB) {
		var s uint64
		for pb.Next() {
			if ops.Add(1)%%8 == 0 {
				rw.Lock()
				s += work(s, %d)
				rw.Unlock()
			}
			rw.RLock()
			s += work(s, %d)
			rw.RUnlock()
			s += work(s, %d)
		}
		sink.Add(s)
	})`, int(8*f*float64(w)), int((1-f)*float64(w)/2), int((1-f)*float64(w)/2))
	}},
	{"Owner", "channel", func(f float64, w int) string {
		return fmt.Sprintf(`reqs := make(chan chan uint64)
	done := make(chan struct{})
	go func() {
		defer close(done)
		var s uint64
		for r := range reqs {
			s += work(s, %d)
			r <- s
		}
	}()
	b.RunParallel(func(pb *testing.PB) {
		reply := make(chan uint64)
		var s uint64
		for pb.Next() {
			s += work(s, %d)
			reqs <- reply
			s += <-reply
		}
		sink.Add(s)
	})
	close(reqs)
	<-done`, int(float64(w)*f), int(float64(w)*(1-f)))
	}},
	{"AllocTree", "gc", func(f float64, w int) string {
		d := 2 + int(9*f)
		return fmt.Sprintf(`b.RunParallel(func(pb *testing.PB) {
		var s uint64
		for pb.Next() {
			s += tree(%d).sum() + work(s, %d)
		}
		sink.Add(s)
	})`, d, int(float64(w)*(1-f)))
	}},
	{"AllocSlice", "gc", func(f float64, w int) string {
		return fmt.Sprintf(`b.RunParallel(func(pb *testing.PB) {
		var s uint64
		for pb.Next() {
			buf := make([]uint64, %d)
			buf[len(buf)-1] = s
			bufSink.Store(&buf)
			s += work(s, %d)
		}
		sink.Add(s)
	})`, int(f*f*f*44000)+64, int(float64(w)*(1-f)))
	}},
	{"Loop", "serial", func(f float64, w int) string {
		// The share f of each op runs on the benchmark's goroutine, the
		// rest fanned out over GOMAXPROCS goroutines. An op is about 2 ms
		// (1000 w units), so that the fork and the join (tens of µs to
		// wake an idle core) cost little beside the serial share.
		return fmt.Sprintf(`procs := runtime.GOMAXPROCS(0)
	for b.Loop() {
		sink.Add(fanOut(procs, %d) + work(1, %d))
	}`, int(float64(1000*w)*(1-f)), int(float64(1000*w)*f))
	}},
	{"GoPerOp", "scheduler", func(f float64, w int) string {
		// Each goroutine keeps its result on a cache line of its own, read
		// after the join: a shared atomic per goroutine (as this case had)
		// is a second cause, cache-line contention, the size of the first.
		return fmt.Sprintf(`b.RunParallel(func(pb *testing.PB) {
		var wg sync.WaitGroup
		var parts [4]padded
		var s uint64
		for pb.Next() {
			for i := range parts {
				wg.Go(func() { parts[i].v = work(3, %d) })
			}
			wg.Wait()
			for i := range parts {
				s += parts[i].v
			}
		}
		sink.Add(s)
	})`, int(float64(w)*(1-f)*(1-f)/4)+5)
	}},
	{"FalseShare", "memory", func(f float64, w int) string {
		return fmt.Sprintf(`var id atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		c := &counters[id.Add(1)%%8]
		var s uint64
		for pb.Next() {
			for range %d {
				c.Add(1)
			}
			s += work(s, %d)
		}
		sink.Add(s)
	})`, int(f*f*40)+1, int(float64(w)*(1-f)*(1-f)/2))
	}},
	{"SharedAtomic", "memory", func(f float64, w int) string {
		return fmt.Sprintf(`var n atomic.Uint64
	b.RunParallel(func(pb *testing.PB) {
		var s uint64
		for pb.Next() {
			for range %d {
				n.Add(1)
			}
			s += work(s, %d)
		}
		sink.Add(s + n.Load())
	})`, int(f*f*40)+1, int(float64(w)*(1-f)*(1-f)/2))
	}},
	{"Sleep", "waiting", func(f float64, w int) string {
		// Work fanned out over the cores, then a wait for I/O: a sleep of
		// f × 20 ms and work of (1.2 − f) × 20 ms at n = 1 (10 000 w
		// units), so that even a dominant sleep leaves a CPU profile
		// samples to read. The shortest sleep is 2 ms: Go's timers on
		// Linux round a shorter one up to about 1 ms, and the share
		// would not be f.
		return fmt.Sprintf(`procs := runtime.GOMAXPROCS(0)
	for b.Loop() {
		sink.Add(fanOut(procs, %d))
		time.Sleep(%d * time.Microsecond)
	}`, int(float64(10000*w)*(1.2-f)), int(float64(10*w)*f))
	}},
	{"Compute", "scales", func(f float64, w int) string {
		return fmt.Sprintf(`b.RunParallel(func(pb *testing.PB) {
		var s uint64
		for pb.Next() {
			s += work(s, %d)
		}
		sink.Add(s)
	})`, int(float64(w)*(0.2+2*f)))
	}},
}

const prelude = `// Package corpus is generated by conclab's scale calibration: one
// benchmark per cause and intensity.
package corpus

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var (
	_       = time.Now
	_       = runtime.GOMAXPROCS
	sink    atomic.Uint64
	bufSink atomic.Pointer[[]uint64]
	// counters share cache lines: each goroutine adds to its own.
	counters [8]atomic.Uint64
)

func work(seed uint64, n int) uint64 {
	x := seed | 1
	for range n {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
	}
	return x
}

// fanOut splits units of work over procs goroutines and waits.
func fanOut(procs, units int) uint64 {
	parts := make([]uint64, procs)
	var wg sync.WaitGroup
	for i := range procs {
		wg.Go(func() { parts[i] = work(uint64(i), units/procs) })
	}
	wg.Wait()
	var s uint64
	for _, p := range parts {
		s += p
	}
	return s
}

// padded is a value on a cache line of its own.
type padded struct {
	v uint64
	_ [7]uint64
}

type node struct {
	left, right *node
	val         uint64
}

func tree(d int) *node {
	if d == 0 {
		return nil
	}
	return &node{left: tree(d - 1), right: tree(d - 1), val: uint64(d)}
}

func (n *node) sum() uint64 {
	if n == nil {
		return 0
	}
	return n.val + n.left.sum() + n.right.sum()
}

`

// generate writes the corpus of one seed: each cause at each level, its
// work per op drawn from the seed (within ±30 % of 2000 units).
func generate(seed uint64) (src string, expect map[string]truth) {
	r := rand.New(rand.NewPCG(seed, 19))
	var b strings.Builder
	b.WriteString(prelude)
	expect = map[string]truth{}
	for _, c := range causes {
		for _, l := range levels {
			w := int(2000 * (0.7 + 0.6*r.Float64()))
			f := l.f * (0.9 + 0.2*r.Float64())
			name := fmt.Sprintf("Benchmark%s_%s", c.name, l.name)
			fmt.Fprintf(&b, "\n// %s: %s at f = %.2f, %d units.\nfunc %s(b *testing.B) {\n\t%s\n}\n", name, c.expect, f, w, name, c.body(f, w))
			expect[name] = truth{cause: c.name, expect: c.expect, level: l}
		}
	}
	return b.String(), expect
}

type truth struct {
	cause, expect string
	level         level
}
