package scenarios

import (
	"context"
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
