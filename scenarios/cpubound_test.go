package scenarios_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/scenarios"
)

func TestCPUBoundMatchesTheSerialChecksum(t *testing.T) {
	const work = 1000
	for _, name := range []string{"cpu-bound", "oversubscribe"} {
		s, err := scenarios.Lookup(name)
		require.NoError(t, err)
		for _, items := range itemSweep {
			for _, workers := range workerSweep(items) {
				cfg := scenarios.Config{Workers: workers, Items: items, Work: work}
				t.Run(fmt.Sprintf("%s/workers=%d/items=%d", name, workers, items), func(t *testing.T) {
					res, err := s.Run(t.Context(), cfg)
					require.NoError(t, err)
					assert.Equal(t, scenarios.SquareNumbers(0, items*work), uint64(res.Total), "any split gives the serial checksum")
					assert.NoError(t, s.Check(cfg, res))
					serial, err := s.Serial(t.Context(), cfg)
					require.NoError(t, err)
					assert.Equal(t, res.Total, serial.Total, "the serial baseline computes the same checksum")
				})
			}
		}
	}
}

func TestCheckCPUBoundRejectsAWrongChecksum(t *testing.T) {
	s, err := scenarios.Lookup("cpu-bound")
	require.NoError(t, err)
	cfg := scenarios.Config{Items: 2, Work: 3}
	want := scenarios.SquareNumbers(0, 6)
	assert.NoError(t, s.Check(cfg, scenarios.Result{Items: 2, Total: int64(want)}))
	assert.EqualError(t, s.Check(cfg, scenarios.Result{Items: 2, Total: int64(want - 1)}),
		fmt.Sprintf("checksum %#016x, want the serial checksum %#016x of SquareNumbers(0, 2×3)", want-1, want))
}

// The article's one Process per core, as goroutines: the same checksum as
// the serial loop, whatever the number of workers.
func ExampleSquareNumbersParallel() {
	const n = 1_000_000
	sum, err := scenarios.SquareNumbersParallel(context.Background(), 4, n)
	fmt.Println(sum == scenarios.SquareNumbers(0, n), err)
	// Output: true <nil>
}
