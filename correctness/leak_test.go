package correctness

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/conclab/conclab/scenarios"
)

// goleak is conclab's detector for Fault Leak. goleak.VerifyTestMain guards
// this package (and every test package of the module); the tests here prove
// that goleak.Find would have named a leaked goroutine.

// blockedForever is the leak: a goroutine waiting on a channel that no one
// will ever send on, as a worker does when its consumer has gone away. The
// test holds the only way to release it, so that it does not outlive the
// test.
func blockedForever(never <-chan struct{}) {
	<-never
}

// TestGoleakFindsBlockedGoroutine is goleak's negative control on a tiny,
// self-contained leak.
func TestGoleakFindsBlockedGoroutine(t *testing.T) {
	before := goleak.IgnoreCurrent()
	release := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() { blockedForever(release) })

	err := goleak.Find(before)
	close(release)
	wg.Wait()

	require.Error(t, err, "goleak reports the blocked goroutine")
	assert.Contains(t, err.Error(), "correctness.blockedForever", "the report names the leaked function")
	assert.NoError(t, goleak.Find(before), "nothing left once the goroutine is released")
}

// leakedIn names, for the leak variants whose bug is known here, the
// function goleak must name as the leaked goroutine's.
var leakedIn = map[string]string{
	"leak-blocked": "github.com/conclab/conclab/scenarios.leakyWorker",
}

// realLatency caps Latency when a scenario runs in real time, outside a
// bubble: goleak inspects real goroutines, so these runs really wait.
const realLatency = 2 * time.Millisecond

// TestGoleakFindsLeakVariants runs every broken variant of Fault Leak,
// requires goleak.Find to report the goroutines it left behind in the
// scenario's code, then releases them through the func() the variant returns
// in Result.Data, and requires that nothing is left.
func TestGoleakFindsLeakVariants(t *testing.T) {
	n := 0
	for _, s := range scenarios.All() {
		for _, v := range s.Broken {
			if v.Fault != scenarios.Leak {
				continue
			}
			n++
			t.Run(v.Name, func(t *testing.T) {
				before := goleak.IgnoreCurrent()
				cfg := s.Defaults
				cfg.Latency = min(cfg.Latency, realLatency)
				res, err := v.Run(t.Context(), cfg)
				leak := goleak.Find(before)
				release, ok := res.Data.(func())
				if ok {
					release()
				}
				require.NoError(t, err)
				require.True(t, ok, "Result.Data of %s is a func() that releases the leaked goroutines, not %T", v.Name, res.Data)
				require.Error(t, leak, "goleak reports the goroutines %s leaves behind", v.Name)
				assert.Contains(t, leak.Error(), "github.com/conclab/conclab/scenarios.", "the leaked goroutine is in the scenario's code")
				if fn, ok := leakedIn[v.Name]; ok {
					assert.Contains(t, leak.Error(), fn, "the report names the leaked function")
				}
				assert.NoError(t, goleak.Find(before), "nothing left once the variant's goroutines are released")
			})
		}
	}
	require.NotZero(t, n, "the catalogue has variants of Fault Leak: nothing proves goleak fires on a scenario")
}

// TestNoLeakAfterCancel cancels every scenario midway, in real time and
// with every back-end it has, and requires the run to report the
// cancellation and goleak to find no goroutine that outlived it: the cancelled pipeline stops every stage, the
// cancelled pool joins every worker, the HTTP back-end closes its server
// and its connections.
func TestNoLeakAfterCancel(t *testing.T) {
	for _, s := range scenarios.All() {
		backends := []string{s.Defaults.Backend}
		if s.Defaults.Backend != "" {
			backends = []string{scenarios.BackendMemory, scenarios.BackendHTTP}
		}
		for _, backend := range backends {
			workers := runtime.GOMAXPROCS(0)
			if s.Processes {
				workers = min(workers, maxProcesses)
			}
			cfg := tableConfig(s, workers, largeItems)
			if cfg.Latency == 0 && !s.Processes {
				cfg = s.Defaults // work that takes a while: see TestCancelMidway
				cfg.Workers = workers
			}
			cfg.Backend = backend
			name := fmt.Sprintf("%s/workers=%d/items=%d", s.Name, workers, largeItems)
			if backend != "" {
				name += "/backend=" + backend
			}
			t.Run(name, func(t *testing.T) {
				before := goleak.IgnoreCurrent()
				var ctx context.Context
				var cancel context.CancelFunc
				if cfg.Latency > 0 {
					// Waits of a minute cut at realLatency: in real time,
					// no wait can end before the deadline.
					cfg.Latency = time.Minute
					ctx, cancel = context.WithTimeout(t.Context(), realLatency)
				} else {
					w := cancelWhenWatched(t.Context())
					ctx, cancel = w, w.cancel
				}
				_, err := s.Run(ctx, cfg)
				cancel()
				assert.True(t, errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded),
					"a run cancelled midway reports the context's error, not %v (%v)", err, ctx)
				assert.NoError(t, goleak.Find(before), "no goroutine outlives a cancelled run")
			})
		}
	}
}
