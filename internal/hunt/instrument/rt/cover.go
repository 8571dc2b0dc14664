//go:build conclabhunt

package rt

import (
	"encoding/json"
	"os"
	"runtime"
	"runtime/metrics"
	"sync/atomic"
)

// What a run of a test reached, reported once the test ended so that hunt
// spends its runs on the tests that can still show something new: whether
// the run started goroutines, how many concurrency operations of the
// instrumented code it reached, and which pairs of them it reached one right
// after the other (on any goroutine). A test alone on its goroutine reaches
// the same pairs in every run; one whose goroutines interleave reaches new
// pairs as the schedules differ.

// coverBits is the size of the bitmap of pairs: a test with more distinct
// pairs than that has them folded together, which only slows the count of
// new ones down.
const coverBits = 1 << 14

var cov struct {
	last    uint32 // site of the last yield
	pairs   [coverBits / 64]uint64
	ops     uint64 // progress at the test's start
	created uint64 // goroutines created before the test's start
	gcs     uint64 // GC cycles before the test's start
	fires   uint64 // watchdog wake-ups before the test's start
}

// wdFires counts the watchdog's wake-ups: each runs in a goroutine of its
// own (time.AfterFunc), which the test did not start.
var wdFires uint64

// cover notes that the program reached site. It runs under raceDisable.
func cover(site uint32) {
	prev := atomic.SwapUint32(&cov.last, site)
	i := uint32(mix(uint64(prev)<<32|uint64(site)) % coverBits)
	w, bit := &cov.pairs[i/64], uint64(1)<<(i%64)
	for {
		old := atomic.LoadUint64(w)
		if old&bit != 0 || atomic.CompareAndSwapUint64(w, old, old|bit) {
			return
		}
	}
}

var goMetrics = []metrics.Sample{
	{Name: "/sched/goroutines-created:goroutines"},
	{Name: "/gc/cycles/total:gc-cycles"},
}

// counts returns the goroutines created and the GC cycles since the program
// started; ok is false where the toolchain (before Go 1.26) does not count
// the goroutines.
func counts() (created, gcs uint64, ok bool) {
	s := make([]metrics.Sample, len(goMetrics))
	copy(s, goMetrics)
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 || s[1].Value.Kind() != metrics.KindUint64 {
		return 0, 0, false
	}
	return s[0].Value.Uint64(), s[1].Value.Uint64(), true
}

// coverStart starts the count of a test's run.
func coverStart() {
	created, gcs, _ := counts()
	raceDisable()
	defer raceEnable()
	for i := range cov.pairs {
		atomic.StoreUint64(&cov.pairs[i], 0)
	}
	atomic.StoreUint32(&cov.last, 0)
	atomic.StoreUint64(&cov.ops, atomic.LoadUint64(&progress))
	atomic.StoreUint64(&cov.created, created)
	atomic.StoreUint64(&cov.gcs, gcs)
	atomic.StoreUint64(&cov.fires, atomic.LoadUint64(&wdFires))
}

// A coverage line is what coverEnd appends to CONCLAB_HUNT_REPORT.
type coverage struct {
	Test       string   `json:"test"`
	Iteration  int      `json:"iteration"`
	Ops        uint64   `json:"ops"`        // concurrency operations reached
	Goroutines int64    `json:"goroutines"` // started, subtests included; -1: unknown
	Pairs      []uint32 `json:"pairs"`
}

// coverEnd reports what the test's run reached. The goroutines it started
// are those the runtime created meanwhile, less the watchdog's and, when
// the program's first GC ran meanwhile, its mark workers (one per P).
func coverEnd(test string, iter int) {
	created, gcs, ok := counts()
	c := coverage{Test: test, Iteration: iter, Goroutines: -1}
	raceDisable()
	c.Ops = atomic.LoadUint64(&progress) - atomic.LoadUint64(&cov.ops)
	if ok {
		n := int64(created-atomic.LoadUint64(&cov.created)) - int64(atomic.LoadUint64(&wdFires)-atomic.LoadUint64(&cov.fires))
		if atomic.LoadUint64(&cov.gcs) == 0 && gcs > 0 {
			n -= int64(runtime.GOMAXPROCS(0))
		}
		if n < 0 {
			n = 0
		}
		c.Goroutines = n
	}
	var words [coverBits / 64]uint64
	for i := range words {
		words[i] = atomic.LoadUint64(&cov.pairs[i])
	}
	raceEnable()
	for i, w := range words {
		for b := 0; w != 0; b, w = b+1, w>>1 {
			if w&1 != 0 {
				c.Pairs = append(c.Pairs, uint32(i*64+b))
			}
		}
	}
	line, err := json.Marshal(struct {
		Coverage coverage `json:"coverage"`
	}{c})
	if err != nil || reportPath == "" {
		return
	}
	line = append(line, '\n')
	raceDisable()
	defer raceEnable()
	reportMu.Lock()
	defer reportMu.Unlock()
	out, err := os.OpenFile(reportPath, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0644)
	if err != nil {
		return
	}
	out.Write(line)
	out.Close()
}
