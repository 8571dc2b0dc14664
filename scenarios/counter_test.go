package scenarios_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/scenarios"
)

func TestCheckCounterRejectsLostIncrements(t *testing.T) {
	s, err := scenarios.Lookup("counter-mutex")
	require.NoError(t, err)
	cfg := s.Defaults
	err = s.Check(cfg, scenarios.Result{Total: 49_999})
	assert.EqualError(t, err, "counter is 49999, want 50000 (5 workers × 10000 increments): 1 increments lost")
}

// cancellingCounter cancels its context on the first Inc and counts the
// Incs.
type cancellingCounter struct {
	cancel context.CancelFunc
	incs   atomic.Int64
}

func (c *cancellingCounter) Inc(int) {
	if c.incs.Add(1) == 1 {
		c.cancel()
	}
}

func (c *cancellingCounter) Load() int64 { return c.incs.Load() }

// Kills count-no-ctx-check: a worker polls its context every 4096
// increments, so one cancelled at its first increment stops at the next
// poll instead of doing all its Items.
func TestCountStopsAtTheNextPoll(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		c := &cancellingCounter{cancel: cancel}
		_, err := scenarios.Count(ctx, c, scenarios.Config{Workers: 1, Items: 100_000})
		assert.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, int64(4096), c.incs.Load(), "increments done before the first poll after the cancellation")
	})
}

func TestEachCounterIsItsOwnSerialBaseline(t *testing.T) {
	for _, name := range []string{"counter-mutex", "counter-atomic", "counter-sharded", "counter-channel"} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s, err := scenarios.Lookup(name)
				require.NoError(t, err)
				require.NotNil(t, s.Serial)
				cfg := scenarios.Config{Workers: 3, Items: 100}
				run, err := s.Run(t.Context(), cfg)
				require.NoError(t, err)
				serial, err := s.Serial(t.Context(), cfg)
				require.NoError(t, err)
				assert.IsType(t, run.Data, serial.Data, "the baseline drives the same kind of counter")
				assert.Equal(t, int64(300), serial.Total, "with every increment, from one goroutine")
			})
		})
	}
}

// TestMutexCounterLoadDuringInc: Load reads the count while Inc changes
// it. Under -race an unlocked read is reported whatever the interleaving,
// since nothing else orders it after the writes.
func TestMutexCounterLoadDuringInc(t *testing.T) {
	var c scenarios.MutexCounter
	var wg sync.WaitGroup
	wg.Go(func() {
		for range 1000 {
			c.Inc(0)
		}
	})
	var last int64
	for range 1000 {
		v := c.Load()
		assert.GreaterOrEqual(t, v, last, "the count never goes down")
		last = v
	}
	wg.Wait()
	assert.Equal(t, int64(1000), c.Load())
}
