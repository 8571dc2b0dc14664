package correctness

import (
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/scenarios"
)

// Timing claims, exactly. Inside a testing/synctest bubble time is virtual:
// it moves only when every goroutine of the bubble is durably blocked, and
// then straight to the next timer. A scenario that waits with
// scenarios.Sleep therefore takes exactly the time its waits add up to
// along the critical path, to the nanosecond, however loaded the machine.

// A timingClaim is what a scenario says about its virtual duration and, if
// it bounds concurrency, its peak.
type timingClaim struct {
	// run is the exact duration of Run under cfg.
	run func(cfg scenarios.Config) time.Duration
	// serial is the exact duration of Serial, or nil: N×L for the IO
	// scenarios.
	serial func(cfg scenarios.Config) time.Duration
	// peak, if not nil, is the exact Result.MaxConcurrent.
	peak func(cfg scenarios.Config) int
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// nTimesL is the serial claim: one wait after the other.
func nTimesL(cfg scenarios.Config) time.Duration { return time.Duration(cfg.Items) * cfg.Latency }

// justL is the claim of N waits that all overlap.
func justL(cfg scenarios.Config) time.Duration { return cfg.Latency }

// allItems is the peak of N waits that all overlap.
func allItems(cfg scenarios.Config) int { return cfg.Items }

// timingClaims holds the claim of every scenario that waits. Every IO
// scenario must have one: TestTimingClaims fails for one that does not.
var timingClaims = map[string]timingClaim{
	// download: one goroutine per file, every wait at once: L, however
	// many files; one after the other, N×L.
	"download": {run: justL, serial: nTimesL, peak: allItems},
	// gather: asyncio.gather of N tasks of L: L; awaited one by one, N×L.
	"gather": {run: justL, serial: nTimesL, peak: allItems},
	// gather-limit: at most Limit tasks at once: ⌈N/Limit⌉×L, exactly
	// min(N, Limit) running at the peak.
	"gather-limit": semaphoreClaim,
	// leak: replica w answers after (w+1)×L; the first answer comes at L
	// and the others are cancelled at once.
	"leak": {run: justL},
	// semaphore: N tasks of L on K permits take ⌈N/K⌉×L, with exactly
	// min(N, K) holding a permit at the peak.
	"semaphore":          semaphoreClaim,
	"semaphore-weighted": semaphoreClaim,
}

var semaphoreClaim = timingClaim{
	run: func(cfg scenarios.Config) time.Duration {
		return time.Duration(ceilDiv(cfg.Items, cfg.Limit)) * cfg.Latency
	},
	serial: nTimesL,
	peak:   func(cfg scenarios.Config) int { return min(cfg.Items, cfg.Limit) },
}

// TestTimingClaims runs every scenario that claims a duration in a bubble,
// with the in-memory back-end, across item and worker counts, and requires
// the virtual time to be exactly the claim: the concurrent run in the time
// of its critical path, the serial baseline in N×L.
func TestTimingClaims(t *testing.T) {
	for _, s := range scenarios.All() {
		claim, ok := timingClaims[s.Name]
		if !ok {
			assert.NotEqual(t, scenarios.IO, s.Kind, "IO scenario %s states its timing claim in timingClaims", s.Name)
			continue
		}
		require.NotZero(t, s.Defaults.Latency, "%s claims a duration, so it waits", s.Name)
		p := runtime.GOMAXPROCS(0)
		limits := []int{s.Defaults.Limit}
		if s.Defaults.Limit > 0 {
			limits = compact(1, s.Defaults.Limit, 8)
		}
		for _, limit := range limits {
			for _, items := range []int{1, 2, smallItems, 20} {
				for _, workers := range compact(1, p, items, 4*p) {
					cfg := tableConfig(s, workers, items)
					cfg.Limit = limit
					t.Run(fmt.Sprintf("%s/workers=%d/items=%d/limit=%d", s.Name, workers, items, limit), func(t *testing.T) {
						r := runScenario(t, s, s.Run, cfg, nil)
						require.NoError(t, r.err)
						require.NoError(t, s.Check(cfg, r.res))
						assert.Equal(t, claim.run(cfg), r.elapsed, "Run takes exactly the claimed virtual time")
						if claim.peak != nil {
							assert.Equal(t, claim.peak(cfg), r.res.MaxConcurrent, "exactly the claimed peak concurrency")
						}
					})
				}
				if claim.serial != nil && s.Serial != nil {
					cfg := tableConfig(s, p, items)
					cfg.Limit = limit
					t.Run(fmt.Sprintf("%s/serial/items=%d/limit=%d", s.Name, items, limit), func(t *testing.T) {
						r := runScenario(t, s, s.Serial, cfg, nil)
						require.NoError(t, r.err)
						require.NoError(t, s.Check(cfg, r.res))
						assert.Equal(t, claim.serial(cfg), r.elapsed, "the serial baseline takes exactly N×L")
					})
				}
			}
		}
	}
}

// compact returns the distinct values of xs, sorted.
func compact(xs ...int) []int {
	slices.Sort(xs)
	return slices.Compact(xs)
}
