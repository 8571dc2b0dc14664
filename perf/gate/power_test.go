package gate_test

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/perf/gate"
)

// burstyRunner simulates a loaded machine: each run takes base × factor
// (factor 1 on the old side) times a load level that jumps between 1 and
// 1.5 and stays for a while (a 10 % chance of switching at each run), times
// 2 % of independent noise. Bursts longer than a pair are what a fixed
// order of old and new would read as a difference.
type burstyRunner struct {
	rng    *rand.Rand
	factor float64
	load   float64
}

func (r *burstyRunner) Run(_ context.Context, side gate.Side, _ string) (float64, error) {
	if r.rng.Float64() < 0.1 {
		r.load = 2.5 - r.load // 1 ↔ 1.5
	}
	t := 1000 * r.load * math.Exp(0.02*r.rng.NormFloat64())
	if side == gate.New {
		t *= r.factor
	}
	return t, nil
}

// failRate runs the whole sequential decision decisions times on one
// benchmark slowed by factor, and returns the share that failed.
func failRate(t *testing.T, factor float64, decisions int) float64 {
	t.Helper()
	failed := 0
	for i := range decisions {
		r := &burstyRunner{rng: rand.New(rand.NewPCG(uint64(i), 7)), factor: factor, load: 1}
		p := gate.DefaultPlan
		p.Budget = time.Hour
		p.Rand = rand.New(rand.NewPCG(uint64(i), 11))
		out, err := gate.Sample(context.Background(), r, []string{"B"}, p)
		require.NoError(t, err)
		if out.Failed() {
			failed++
		}
	}
	return float64(failed) / float64(decisions)
}

// The gate's promises on a simulated loaded machine, 100 decisions each
// (seeded: the same figures every run): A/A fails at most about α, a 10 %
// slowdown nearly always, 5 % at least half the time.
func TestSimulatedPower(t *testing.T) {
	if testing.Short() {
		t.Skip("300 simulated decisions")
	}
	aa, ten, five := failRate(t, 1, 100), failRate(t, 1.10, 100), failRate(t, 1.05, 100)
	t.Logf("fail rates: A/A %.3f, 5 %% %.3f, 10 %% %.3f", aa, five, ten)
	assert.LessOrEqual(t, aa, 0.06, "A/A")
	assert.GreaterOrEqual(t, ten, 0.90, "10 %% slower")
	assert.GreaterOrEqual(t, five, 0.50, "5 %% slower")
}
