package correctness

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/scenarios"
)

// sameWork pairs scenarios that compute the same checksum from the same
// Config by different means: the process pool (the kernel in child
// processes), the executor (futures on a goroutine pool) and oversubscribe
// against cpu-bound's goroutines, forgotten-join's joined workers against
// pool-map. Each is checked by its own Check; agreeing with each other
// proves in addition that they do the same work.
var sameWork = []struct{ a, b string }{
	{"process-pool", "cpu-bound"},
	{"executor", "cpu-bound"},
	{"oversubscribe", "cpu-bound"},
	{"pipeline", "cpu-bound"},
	{"forgotten-join", "pool-map"},
}

func TestChecksumsAgree(t *testing.T) {
	for _, pair := range sameWork {
		a, err := scenarios.Lookup(pair.a)
		require.NoError(t, err)
		b, err := scenarios.Lookup(pair.b)
		require.NoError(t, err)
		for _, items := range []int{0, 1, smallItems, 64} {
			for _, workers := range []int{1, 2, maxProcesses} {
				for _, work := range []int{1, 100} {
					t.Run(fmt.Sprintf("%s=%s/workers=%d/items=%d/work=%d", a.Name, b.Name, workers, items, work), func(t *testing.T) {
						cfgA := tableConfig(a, workers, items)
						cfgA.Work = work
						cfgB := tableConfig(b, workers, items)
						cfgB.Work = work
						ra := runScenario(t, a, a.Run, cfgA, nil)
						rb := runScenario(t, b, b.Run, cfgB, nil)
						require.NoError(t, ra.err)
						require.NoError(t, rb.err)
						assert.Equal(t, rb.res.Total, ra.res.Total, "%s and %s compute the same checksum", a.Name, b.Name)
					})
				}
			}
		}
	}
}
