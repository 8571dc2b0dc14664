package correctness

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/scenarios"
)

// A task that fails, in each of the patterns that run other people's tasks:
// pool-map (multiprocessing.Pool.map), the executor (ThreadPoolExecutor)
// and gather (asyncio.gather). Each states its policy in its doc comment;
// these tests hold it to that policy, in a bubble, so that no goroutine may
// outlive the call.

var errBoom = errors.New("boom")

// panickingTask is the task that panics; the recovered stack must name it.
func panickingTask(n int) int {
	if n == 3 {
		panic(fmt.Sprintf("task %d: boom", n))
	}
	return n * n
}

// panickingTaskFrame is panickingTask's frame in a stack.
var panickingTaskFrame = regexp.MustCompile(`correctness\.panickingTask\(`)

func TestPoolMapTaskPanics(t *testing.T) {
	for _, workers := range []int{1, 2, 8} {
		t.Run(fmt.Sprintf("pool-map/workers=%d/items=100", workers), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				in := make([]int, 100)
				for i := range in {
					in[i] = i
				}
				out, err := scenarios.PoolMap(t.Context(), workers, 1, in, panickingTask)
				assert.Nil(t, out, "no results after a panic")
				pe, ok := errors.AsType[*scenarios.PanicError](err)
				require.True(t, ok, "a task's panic comes back as a *PanicError, not %v", err)
				assert.Equal(t, "task 3: boom", pe.Value, "the panic value")
				assert.Regexp(t, panickingTaskFrame, string(pe.Stack), "the stack of the panicking task")
			})
		})
	}
}

func TestExecutorTaskFails(t *testing.T) {
	for _, workers := range []int{1, 2, 8} {
		t.Run(fmt.Sprintf("executor/workers=%d/items=10", workers), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ctx := t.Context()
				e := scenarios.NewTaskExecutor(workers)
				var futs []*scenarios.Future[int]
				for i := range 10 {
					futs = append(futs, scenarios.Submit(ctx, e, func(ctx context.Context) (int, error) {
						if err := scenarios.Sleep(ctx, time.Second); err != nil {
							return 0, err
						}
						switch i {
						case 3:
							return 0, errBoom
						case 5:
							return panickingTask(3), nil
						}
						return i, nil
					}))
				}
				start := time.Now()
				require.NoError(t, e.Shutdown(ctx), "Shutdown waits for every task, failed ones included")
				assert.Equal(t, time.Duration((10+workers-1)/workers)*time.Second, time.Since(start),
					"Shutdown returns when the last of ⌈10/workers⌉ rounds of one-second tasks is done")
				for i, f := range futs {
					select {
					case <-f.Done():
					default:
						t.Fatalf("future %d not ready after Shutdown", i)
					}
					v, err := f.Get(ctx)
					switch i {
					case 3:
						assert.ErrorIs(t, err, errBoom, "a task's error comes back from Get")
					case 5:
						pe, ok := errors.AsType[*scenarios.PanicError](err)
						if assert.True(t, ok, "a task's panic comes back from Get as a *PanicError, not %v", err) {
							assert.Equal(t, "task 3: boom", pe.Value)
							assert.Regexp(t, panickingTaskFrame, string(pe.Stack))
						}
					default:
						assert.NoError(t, err, "a failing task does not fail the others")
						assert.Equal(t, i, v)
					}
				}
			})
		})
	}
}
