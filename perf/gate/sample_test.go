package gate_test

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/perf/gate"
)

// fakeRunner measures benchmark b on the new side as factor[b] times the
// old side, with a fixed ±2 % jitter, and advances a fake clock by cost a
// run.
type fakeRunner struct {
	mu     sync.Mutex
	factor map[string]float64
	fail   string // a benchmark whose new side errs
	runs   map[gate.Side]int
	order  []gate.Side
	now    time.Time
	cost   time.Duration
}

func newFake(factor map[string]float64) *fakeRunner {
	return &fakeRunner{factor: factor, runs: map[gate.Side]int{}, now: time.Unix(0, 0), cost: time.Second}
}

func (f *fakeRunner) Run(_ context.Context, side gate.Side, name string) (float64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(f.cost)
	if side == gate.New && name == f.fail {
		return 0, errors.New("exit status 1: --- FAIL: " + name)
	}
	i := f.runs[side]
	f.runs[side]++
	f.order = append(f.order, side)
	if side == gate.Old {
		return 100 * jitter[i%len(jitter)], nil
	}
	return 100 * f.factor[name] * jitter[(i*5+3)%len(jitter)], nil
}

func (f *fakeRunner) clock() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func plan(f *fakeRunner) gate.Plan {
	p := gate.DefaultPlan
	p.Budget = time.Hour
	p.Now = f.clock
	p.Rand = rand.New(rand.NewPCG(1, 1))
	return p
}

func TestSampleStopsWhenClear(t *testing.T) {
	f := newFake(map[string]float64{"same": 1, "faster": 0.9, "slower": 1.3})
	var log bytes.Buffer
	p := plan(f)
	p.Log = &log
	out, err := gate.Sample(context.Background(), f, []string{"same", "faster", "slower"}, p)
	require.NoError(t, err)
	assert.True(t, out.Failed())
	assert.Equal(t, 12, out.Rounds, "the slowdown is clear at the second look")
	assert.Contains(t, out.Stopped, "every answer clear")
	assert.Empty(t, out.Inconclusive)
	want := map[string]gate.Verdict{"same": gate.Pass, "faster": gate.Pass, "slower": gate.Fail}
	for _, fd := range out.Findings {
		assert.Equal(t, want[fd.Name], fd.Verdict, fd.String())
	}
	assert.Equal(t, 8, out.Series[0].Pairs(), "the unchanged benchmark was clear at the first look and sampled no more")
	assert.Equal(t, 12, out.Series[2].Pairs())
	assert.Contains(t, log.String(), "round 8")
}

func TestSampleRandomisesOrder(t *testing.T) {
	f := newFake(map[string]float64{"a": 1})
	p := plan(f)
	p.MinRounds, p.MaxRounds = 40, 40
	p.Rand = rand.New(rand.NewPCG(1, 2))
	_, err := gate.Sample(context.Background(), f, []string{"a"}, p)
	require.NoError(t, err)
	require.Len(t, f.order, 80)
	oldFirst := 0
	for i := 0; i < len(f.order); i += 2 {
		require.NotEqual(t, f.order[i], f.order[i+1], "each round is one pair")
		if f.order[i] == gate.Old {
			oldFirst++
		}
	}
	assert.InDelta(t, 20, oldFirst, 10, "old first in about half the rounds")
}

func TestSampleNearFloorUsesEveryRound(t *testing.T) {
	f := newFake(map[string]float64{"near": 1.03})
	out, err := gate.Sample(context.Background(), f, []string{"near"}, plan(f))
	require.NoError(t, err)
	assert.Equal(t, gate.DefaultPlan.MaxRounds, out.Series[0].Pairs())
	assert.Contains(t, out.Stopped, "the most allowed")
}

func TestSampleKeepsToBudget(t *testing.T) {
	f := newFake(map[string]float64{"near": 1.03})
	p := plan(f)
	p.Budget = 9 * time.Second // four pairs of two one-second runs
	out, err := gate.Sample(context.Background(), f, []string{"near"}, p)
	require.NoError(t, err)
	assert.Equal(t, 4, out.Series[0].Pairs())
	assert.LessOrEqual(t, f.clock().Sub(time.Unix(0, 0)), p.Budget)
	assert.Contains(t, out.Stopped, "time budget")
	assert.Equal(t, []string{"near"}, out.Inconclusive, "4 pairs cannot reach p ≤ 0.05: not a silent pass")
	assert.False(t, out.Failed())
}

func TestSampleRunnerError(t *testing.T) {
	f := newFake(map[string]float64{"a": 1, "broken": 1})
	f.fail = "broken"
	_, err := gate.Sample(context.Background(), f, []string{"a", "broken"}, plan(f))
	assert.ErrorContains(t, err, "broken, new side: exit status 1")
}
