package scenarios

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
)

// Kills executor-work-if-wait: an idle worker woken with nothing queued
// must keep waiting; if it returned, the pool would shrink and, with one
// worker, a task submitted next would never run (a deadlock in the bubble).
func TestExecutorWorkerSurvivesASpuriousWakeup(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := NewTaskExecutor(1)
		synctest.Wait() // the worker waits on the empty queue
		e.mu.Lock()
		e.ready.Broadcast()
		e.mu.Unlock()
		synctest.Wait()
		f := Submit(t.Context(), e, func(context.Context) (int, error) { return 42, nil })
		v, err := f.Get(t.Context())
		assert.NoError(t, err)
		assert.Equal(t, 42, v)
		assert.NoError(t, e.Shutdown(t.Context()))
	})
}

// taskCtxKey is the key of a value a taskContext must relay from its Submit
// context.
type taskCtxKey struct{}

// The task's context is made lazily: whatever is asked of it, and in
// whatever order, it answers as a context derived from the Submit context
// would, cancelled when the task returns or is killed.
func TestTaskContextAnswersAsADerivedContext(t *testing.T) {
	canceledBy := errors.New("the Submit context's cause")
	for _, tc := range []struct {
		name      string
		steps     func(c *taskContext)
		err       error // Err and Cause after steps, then...
		cause     error
		doneAfter bool // ...whether Done is closed
	}{
		{"untouched", func(*taskContext) {}, nil, nil, false},
		{"asked-for-done", func(c *taskContext) { c.Done() }, nil, nil, false},
		{"ended", (*taskContext).end, context.Canceled, context.Canceled, true},
		{"asked-for-done/ended", func(c *taskContext) { c.Done(); c.end() }, context.Canceled, context.Canceled, true},
		{"killed", (*taskContext).kill, context.Canceled, ErrShutdown, true},
		{"killed/ended", func(c *taskContext) { c.kill(); c.end() }, context.Canceled, ErrShutdown, true},
		{"ended/killed", func(c *taskContext) { c.end(); c.kill() }, context.Canceled, context.Canceled, true},
	} {
		t.Run("task-context/"+tc.name, func(t *testing.T) {
			c := &taskContext{Context: context.WithValue(t.Context(), taskCtxKey{}, "v")}
			tc.steps(c)
			assert.Equal(t, tc.err, c.Err())
			assert.Equal(t, tc.cause, context.Cause(c))
			assert.Equal(t, "v", c.Value(taskCtxKey{}), "the Submit context's values are the task's")
			select {
			case <-c.Done():
				assert.True(t, tc.doneAfter, "Done closed")
			default:
				assert.False(t, tc.doneAfter, "Done not closed")
			}
			c.end() // as the executor always does
			assertDone(t, c, "once the task has returned")
			assert.Error(t, c.Err(), "done once the task has returned")
		})
	}

	t.Run("task-context/submit-context-cancelled", func(t *testing.T) {
		parent, cancel := context.WithCancelCause(t.Context())
		c := &taskContext{Context: parent}
		cancel(canceledBy)
		assert.Equal(t, context.Canceled, c.Err())
		assert.Equal(t, canceledBy, context.Cause(c), "the Submit context's cause is the task's")
		assertDone(t, c, "with its Submit context")
		c.end()
	})

	t.Run("task-context/child-of-the-task-context", func(t *testing.T) {
		c := &taskContext{Context: t.Context()}
		grandchild, cancel := context.WithCancel(c)
		defer cancel()
		c.kill()
		assertDone(t, grandchild, "a context derived from the task's, once the task is killed")
		assert.Equal(t, ErrShutdown, context.Cause(grandchild), "a kill reaches the contexts the task derived")
		c.end()
	})
}

// Under -race: a Shutdown's kill and the task's return may meet.
func TestTaskContextKillRacesEnd(t *testing.T) {
	for range 100 {
		c := &taskContext{Context: t.Context()}
		var wg sync.WaitGroup
		start := make(chan struct{})
		wg.Go(func() { <-start; c.kill() })
		wg.Go(func() { <-start; c.end() })
		wg.Go(func() { <-start; c.Done() })
		close(start)
		wg.Wait()
		assertDone(t, c, "once killed and returned")
		assert.Error(t, c.Err())
	}
}

// assertDone checks that ctx is done now: a taskContext is cancelled when
// it is killed or ended, not later.
func assertDone(t *testing.T, ctx context.Context, when string) {
	t.Helper()
	select {
	case <-ctx.Done():
	default:
		t.Errorf("context not done %s", when)
	}
}
