package scenarios_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/scenarios"
)

func TestCounterIsExact(t *testing.T) {
	for _, name := range []string{"counter-mutex", "counter-atomic", "counter-sharded", "counter-channel"} {
		s, err := scenarios.Lookup(name)
		require.NoError(t, err)
		for _, workers := range []int{1, 2, 5, 64} {
			for _, items := range []int{0, 1, 1000} {
				t.Run(fmt.Sprintf("%s/workers=%d/items=%d", name, workers, items), func(t *testing.T) {
					cfg := scenarios.Config{Workers: workers, Items: items}
					res, err := s.Run(t.Context(), cfg)
					require.NoError(t, err)
					assert.Equal(t, int64(workers*items), res.Total, "every increment counted exactly once")
					assert.NoError(t, s.Check(cfg, res))
				})
			}
		}
	}
}

func TestCounterStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	for _, name := range []string{"counter-mutex", "counter-channel"} {
		s, err := scenarios.Lookup(name)
		require.NoError(t, err)
		_, err = s.Run(ctx, s.Defaults)
		assert.ErrorIs(t, err, context.Canceled, name)
	}
}

func TestCheckCounterRejectsLostIncrements(t *testing.T) {
	s, err := scenarios.Lookup("counter-mutex")
	require.NoError(t, err)
	cfg := s.Defaults
	err = s.Check(cfg, scenarios.Result{Total: 49_999})
	assert.EqualError(t, err, "counter is 49999, want 50000 (5 workers × 10000 increments): 1 increments lost")
}

func TestEachCounterIsItsOwnSerialBaseline(t *testing.T) {
	for _, name := range []string{"counter-mutex", "counter-atomic", "counter-sharded", "counter-channel"} {
		t.Run(name, func(t *testing.T) {
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
	}
}
