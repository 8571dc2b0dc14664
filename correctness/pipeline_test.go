package correctness

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/conclab/conclab/scenarios"
)

// TestPipelineCancelledMidway cancels a pipeline whose stage waits a second
// per item at 2.5 s of virtual time. Pipeline must return the context's
// error at that instant, with no stage still running, every result finished
// before the cancellation consumed (two rounds of workers) and nothing
// consumed after it.
func TestPipelineCancelledMidway(t *testing.T) {
	for _, workers := range []int{1, 4} {
		t.Run(fmt.Sprintf("pipeline/workers=%d/items=100", workers), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var inStage, sunk, late atomic.Int32
				var returned atomic.Bool
				stage := func(ctx context.Context, i int) (int, error) {
					inStage.Add(1)
					defer inStage.Add(-1)
					if err := scenarios.Sleep(ctx, time.Second); err != nil {
						return 0, err
					}
					return i, nil
				}
				sink := func(i, r int) error {
					if returned.Load() {
						late.Add(1)
					}
					sunk.Add(1)
					return nil
				}
				const cancelAt = 2500 * time.Millisecond
				ctx, cancel := context.WithTimeout(t.Context(), cancelAt)
				defer cancel()
				start := time.Now()
				err := scenarios.Pipeline(ctx, 100, workers, stage, sink)
				elapsed := time.Since(start)
				returned.Store(true)
				require.ErrorIs(t, err, context.DeadlineExceeded, "a cancelled pipeline returns the context's error")
				assert.Equal(t, cancelAt, elapsed, "it returns at the instant of the cancellation")
				assert.Zero(t, inStage.Load(), "no stage is still running when Pipeline returns")
				assert.Equal(t, int32(2*workers), sunk.Load(), "the two rounds finished before the cancellation were consumed")
				synctest.Wait()
				assert.Zero(t, late.Load(), "nothing is consumed after Pipeline returned")
			})
		})
	}
}

// TestPipelineCancelledMidwayLeaksNothing cancels a computing pipeline from
// its own sink, at the third result, in real time, and requires goleak to
// find no goroutine of it left: producer, stage workers, closer and consumer
// have all exited when Pipeline returns.
func TestPipelineCancelledMidwayLeaksNothing(t *testing.T) {
	for _, workers := range []int{1, 2, 8} {
		t.Run(fmt.Sprintf("pipeline/workers=%d/items=1000", workers), func(t *testing.T) {
			before := goleak.IgnoreCurrent()
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			sunk := 0
			err := scenarios.Pipeline(ctx, 1000, workers,
				func(_ context.Context, i int) (uint64, error) { return scenarios.SquareNumbers(i*100, (i+1)*100), nil },
				func(int, uint64) error {
					if sunk++; sunk == 3 {
						cancel()
					}
					return nil
				})
			require.ErrorIs(t, err, context.Canceled, "the pipeline stops when its context is cancelled")
			assert.NoError(t, goleak.Find(before), "no goroutine of the pipeline outlives it")
		})
	}
}
