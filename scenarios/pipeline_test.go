package scenarios_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/scenarios"
)

func square(_ context.Context, i int) (int64, error) { return scenarios.Square(int64(i)), nil }

func TestPipelineConsumesEveryItemOnce(t *testing.T) {
	for _, n := range []int{0, 1, 100, 2000} {
		for _, workers := range []int{1, 3, 8} {
			t.Run(fmt.Sprintf("pipeline/workers=%d/items=%d", workers, n), func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					seen := make([]int, n)
					var values []int64
					err := scenarios.Pipeline(t.Context(), n, workers, square, func(i int, v int64) error {
						seen[i]++ // sink runs on one goroutine only: no lock
						values = append(values, v)
						if v != scenarios.Square(int64(i)) {
							return fmt.Errorf("item %d: got %d", i, v)
						}
						return nil
					})
					require.NoError(t, err)
					for i, c := range seen {
						assert.Equal(t, 1, c, "item %d consumed exactly once", i)
					}
					assert.Len(t, values, n)
				})
			})
		}
	}
}

func TestPipelineScenario(t *testing.T) {
	s, err := scenarios.Lookup("pipeline")
	require.NoError(t, err)
	for _, tc := range []struct{ workers, items, work int }{
		{1, 0, 10}, {1, 10, 10}, {4, 1000, 7}, {16, 333, 100},
	} {
		cfg := scenarios.Config{Workers: tc.workers, Items: tc.items, Work: tc.work}
		t.Run(fmt.Sprintf("pipeline/workers=%d/items=%d/work=%d", tc.workers, tc.items, tc.work), func(t *testing.T) {
			res, err := s.Run(t.Context(), cfg)
			require.NoError(t, err)
			assert.NoError(t, s.Check(cfg, res))
			serial, err := s.Serial(t.Context(), cfg)
			require.NoError(t, err)
			assert.NoError(t, s.Check(cfg, serial))
			assert.Equal(t, serial.Total, res.Total, "the pipeline's checksum is the serial loop's")
		})
	}
}

func TestPipelineFansOut(t *testing.T) {
	const latency = time.Second
	for _, tc := range []struct{ items, workers, rounds int }{
		{0, 4, 0}, {1, 4, 1}, {8, 4, 2}, {9, 4, 3}, {100, 100, 1}, {5, 1, 5},
	} {
		t.Run(fmt.Sprintf("pipeline/workers=%d/items=%d", tc.workers, tc.items), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				stage := func(ctx context.Context, i int) (int, error) { return i, scenarios.Sleep(ctx, latency) }
				var consumed int
				start := time.Now()
				err := scenarios.Pipeline(t.Context(), tc.items, tc.workers, stage, func(int, int) error {
					consumed++
					return nil
				})
				require.NoError(t, err)
				assert.Equal(t, time.Duration(tc.rounds)*latency, time.Since(start),
					"workers stage goroutines take ceil(items/workers) latencies")
				assert.Equal(t, tc.items, consumed)
			})
		})
	}
}

// Each stop test ends its synctest bubble: had any stage goroutine been
// left blocked on a channel, synctest.Test would panic, and goleak would
// catch one left running.
func TestPipelineStops(t *testing.T) {
	const n, workers, latency = 100, 4, time.Second
	errStage := errors.New("stage failed")
	errSink := errors.New("sink failed")
	for _, tc := range []struct {
		name      string
		deadline  time.Duration // 0: none
		cancelled bool          // ctx cancelled before the call
		failStage int           // item whose stage fails; -1: none
		failSink  int           // consumed item count at which sink fails; -1: none
		sinkDelay time.Duration // sink's wait before it fails
		wantErr   error
		wantTime  time.Duration
		wantMax   int // most items consumed
	}{
		{"cancelled-before-start", 0, true, -1, -1, 0, context.Canceled, 0, 0},
		{"cancelled-midway", 2500 * time.Millisecond, false, -1, -1, 0, context.DeadlineExceeded, 2500 * time.Millisecond, 2 * workers},
		{"stage-error-midway", 0, false, 10, -1, 0, errStage, 3 * latency, 12},
		{"sink-error-midway", 0, false, -1, 6, 0, errSink, 2 * latency, 6},
		// The consumer stalls while the workers fill the results channel
		// and block sending more; when it fails, they must not stay blocked.
		{"slow-sink-fails-with-results-queued", 0, false, -1, 0, 10 * latency, errSink, 11 * latency, 0},
	} {
		t.Run("pipeline/"+tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				if tc.cancelled {
					cancel()
				}
				if tc.deadline > 0 {
					ctx, cancel = context.WithTimeout(ctx, tc.deadline)
					defer cancel()
				}
				var staged atomic.Int32
				stage := func(ctx context.Context, i int) (int, error) {
					staged.Add(1)
					if err := scenarios.Sleep(ctx, latency); err != nil {
						return 0, err
					}
					if i == tc.failStage {
						return 0, errStage
					}
					return i, nil
				}
				consumed := 0
				start := time.Now()
				err := scenarios.Pipeline(ctx, n, workers, stage, func(int, int) error {
					if consumed == tc.failSink {
						time.Sleep(tc.sinkDelay) // virtual time: a slow consumer inside the synctest bubble
						return errSink
					}
					consumed++
					return nil
				})
				assert.ErrorIs(t, err, tc.wantErr)
				assert.Equal(t, tc.wantTime, time.Since(start), "stopped at once")
				assert.LessOrEqual(t, consumed, tc.wantMax, "no item consumed after the stop")
				if tc.cancelled {
					assert.Zero(t, staged.Load(), "no stage ran")
				}
			})
		})
	}
}

func TestCheckPipelineRejects(t *testing.T) {
	s, err := scenarios.Lookup("pipeline")
	require.NoError(t, err)
	cfg := scenarios.Config{Workers: 2, Items: 10, Work: 10}
	res, err := s.Run(t.Context(), cfg)
	require.NoError(t, err)
	require.NoError(t, s.Check(cfg, res))

	lost := res
	lost.Items--
	assert.EqualError(t, s.Check(cfg, lost), "9 items consumed, want 10")
	wrong := res
	wrong.Total++
	assert.ErrorContains(t, s.Check(cfg, wrong), "an item was lost, duplicated or wrong")
}

// The article's advice to protect shared data with queues: one producer,
// four workers squaring numbers, and one consumer that alone owns the sum,
// so that no lock is needed.
func ExamplePipeline() {
	var sum int64
	err := scenarios.Pipeline(context.Background(), 101, 4,
		func(_ context.Context, i int) (int64, error) { return int64(i) * int64(i), nil },
		func(_ int, sq int64) error { sum += sq; return nil })
	fmt.Println(sum, err)
	// Output: 338350 <nil>
}

// Kills pipeline-no-cancel-first: once ctx is done, no stage starts, even
// though items are waiting. A worker's select between a ready item and the
// done context picks at random, so without the check after it, about every
// other round starts one stage too many; twenty rounds leave no chance.
func TestPipelineStartsNoStageAfterCancel(t *testing.T) {
	for range 20 {
		ctx, cancel := context.WithCancel(t.Context())
		var staged atomic.Int32
		err := scenarios.Pipeline(ctx, 100, 1,
			func(ctx context.Context, i int) (int, error) {
				staged.Add(1)
				cancel() // the items channel is full: the worker will have an item ready
				return i, nil
			},
			func(int, int) error { return nil })
		cancel()
		assert.ErrorIs(t, err, context.Canceled)
		if !assert.Equal(t, int32(1), staged.Load(), "stages run: the one that cancelled, no other") {
			return
		}
	}
}
