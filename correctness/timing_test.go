package correctness

import (
	"fmt"
	"runtime"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/scenarios"
)

// Timing claims, exactly. Inside a testing/synctest bubble time is virtual:
// it moves only when every goroutine of the bubble is durably blocked, and
// then straight to the next timer. A scenario that waits with
// scenarios.Sleep therefore takes exactly the time its waits add up to
// along the critical path, to the nanosecond, however loaded the machine.

// TestTimingClaims runs every scenario that states a Timing in a bubble,
// with the in-memory back-end, across item and worker counts, and requires
// the virtual time to be exactly the claim: the concurrent run in the time
// of its critical path, the serial baseline in N×L. (Register requires a
// Timing of every IO scenario.)
func TestTimingClaims(t *testing.T) {
	for _, s := range scenarios.All() {
		claim := s.Timing
		if claim == nil {
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
						assert.Equal(t, claim.Run(cfg), r.elapsed, "Run takes exactly the claimed virtual time")
						if claim.Peak != nil {
							assert.Equal(t, claim.Peak(cfg), r.res.MaxConcurrent, "exactly the claimed peak concurrency")
						}
					})
				}
				if claim.Serial != nil && s.Serial != nil {
					cfg := tableConfig(s, p, items)
					cfg.Limit = limit
					t.Run(fmt.Sprintf("%s/serial/items=%d/limit=%d", s.Name, items, limit), func(t *testing.T) {
						r := runScenario(t, s, s.Serial, cfg, nil)
						require.NoError(t, r.err)
						require.NoError(t, s.Check(cfg, r.res))
						assert.Equal(t, claim.Serial(cfg), r.elapsed, "the serial baseline takes exactly N×L")
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
