package scenarios_test

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/scenarios"
)

// requireReaped checks that every worker process of p has been waited for,
// so that none is left behind, running or as a zombie.
func requireReaped(t *testing.T, p *scenarios.SubprocessPool) {
	t.Helper()
	for i, st := range p.ProcessStates() {
		assert.NotNil(t, st, "worker %d reaped", i+1)
	}
}

func TestProcessPoolMatchesTheSerialKernel(t *testing.T) {
	for _, tc := range []struct{ procs, parts, work int }{{1, 3, 1000}, {2, 7, 1000}, {2, 0, 10}, {3, 2, 5}} {
		ok := t.Run(fmt.Sprintf("process-pool/procs=%d/items=%d/work=%d", tc.procs, tc.parts, tc.work), func(t *testing.T) {
			p, err := scenarios.StartSubprocessPool(processCtx(t), tc.procs)
			require.NoError(t, err)
			sum, err := scenarios.SquareNumbersInPool(processCtx(t), p, tc.parts, tc.work)
			assert.NoError(t, err)
			assert.Equal(t, scenarios.SquareNumbers(0, tc.parts*tc.work), sum, "any split over processes gives the serial checksum")
			assert.NoError(t, closePool(t, p), "workers exit cleanly when their stdin closes")
			requireReaped(t, p)
			for _, st := range p.ProcessStates() {
				assert.Equal(t, 0, st.ExitCode())
			}
		})
		if !ok {
			break // a hung pool would hang the next cases too: one named failure is enough
		}
	}
}

func TestProcessPoolScenarioEqualsTheGoroutineVersion(t *testing.T) {
	s, err := scenarios.Lookup("process-pool")
	require.NoError(t, err)
	cfg := scenarios.Config{Workers: 2, Items: 8, Work: 10_000}
	res, err := s.Run(processCtx(t), cfg)
	require.NoError(t, err)
	assert.NoError(t, s.Check(cfg, res))
	serial, err := s.Serial(processCtx(t), cfg)
	require.NoError(t, err)
	assert.Equal(t, serial.Total, res.Total, "processes compute what one goroutine does")
	assert.Equal(t, 2, res.MaxConcurrent)

	bad := res
	bad.Total++
	assert.ErrorContains(t, s.Check(cfg, bad), "a range was lost, done twice or corrupted")
}

func TestProcessPoolBadRangeIsAnErrorNotABreak(t *testing.T) {
	p, err := scenarios.StartSubprocessPool(processCtx(t), 1)
	require.NoError(t, err)
	_, err = p.SquareNumbers(processCtx(t), 10, 5)
	assert.ErrorContains(t, err, "bad range [10, 5): lo > hi")
	sum, err := p.SquareNumbers(processCtx(t), 0, 100)
	assert.NoError(t, err, "the worker goes on serving")
	assert.Equal(t, scenarios.SquareNumbers(0, 100), sum)
	assert.NoError(t, closePool(t, p))
	requireReaped(t, p)

	_, err = p.SquareNumbers(processCtx(t), 0, 1)
	assert.ErrorIs(t, err, scenarios.ErrPoolClosed)
	assert.NoError(t, closePool(t, p), "Close may be called again")
}

func TestProcessPoolBrokenWorkers(t *testing.T) {
	for _, tc := range []struct {
		name, fault string
		want        string
	}{
		{"crash", "exit", "exit status 3): exited without answering; stderr: conclab worker"},
		{"crash-after-one-answer", "exit:1", "exit status 3): exited without answering"},
		{"garbage", "garbage", "malformed frame: bad magic 0x74, want 0xcc"},
		{"oversize", "oversize", "malformed frame: payload of 1073741824 bytes exceeds the limit of 1024"},
		{"wrong-id", "wrong-id", "malformed frame: answer to request 2, want 1"},
	} {
		t.Run("process-pool/fault="+tc.name, func(t *testing.T) {
			p, err := scenarios.StartSubprocessPoolWithFault(processCtx(t), 2, tc.fault)
			require.NoError(t, err)
			_, err = scenarios.SquareNumbersInPool(processCtx(t), p, 6, 100)
			assert.ErrorContains(t, err, tc.want)
			assert.NoError(t, closePool(t, p))
			requireReaped(t, p)
		})
	}
}

func TestProcessPoolKillsAHangingWorker(t *testing.T) {
	// The pool's own context has no deadline: only the call's may end the
	// call, and a call that does not kill its worker waits forever.
	p, err := scenarios.StartSubprocessPoolWithFault(t.Context(), 1, "hang")
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	err = withinProcessTimeout(t, "the cancelled call", func() error {
		_, err := p.SquareNumbers(ctx, 0, 10)
		return err
	})
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.ErrorContains(t, err, "signal: killed")
	_, err = p.SquareNumbers(processCtx(t), 0, 10)
	assert.ErrorContains(t, err, "signal: killed", "a broken worker stays broken")
	assert.NoError(t, closePool(t, p))
	requireReaped(t, p)
	st := p.ProcessStates()[0]
	ws, ok := st.Sys().(syscall.WaitStatus)
	require.True(t, ok)
	assert.True(t, ws.Signaled() && ws.Signal() == syscall.SIGKILL, "the hanging worker was killed: %v", st)
}

func TestProcessPoolDiesWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(processCtx(t))
	p, err := scenarios.StartSubprocessPoolWithFault(ctx, 2, "hang")
	require.NoError(t, err)
	errc := make(chan error, 1)
	go func() {
		_, err := scenarios.SquareNumbersInPool(processCtx(t), p, 4, 10)
		errc <- err
	}()
	cancel()
	assert.ErrorIs(t, <-errc, context.Canceled, "killed by the pool's context, the call reports it")
	assert.NoError(t, closePool(t, p))
	requireReaped(t, p)
}

// BenchmarkProcessPoolRoundTrip measures the cost of one request to a
// worker process and its answer, with no work in it: two pipe writes, two
// reads and two wake-ups across a process boundary.
func BenchmarkProcessPoolRoundTrip(b *testing.B) {
	p, err := scenarios.StartSubprocessPool(b.Context(), 1)
	require.NoError(b, err)
	defer func() { require.NoError(b, p.Close()) }()
	for b.Loop() {
		if _, err := p.SquareNumbers(b.Context(), 0, 0); err != nil {
			b.Fatal(err)
		}
	}
}

func TestProcessPoolRefusesToStartInsideAWorker(t *testing.T) {
	t.Setenv(scenarios.WorkerEnv, "1")
	_, err := scenarios.StartSubprocessPool(processCtx(t), 1)
	assert.ErrorContains(t, err, "refusing to start inside a worker process", "no fork bomb from a binary that forgot ServeIfWorker")
}

// Kills procpool-ignore-exit: a worker that exits with a failure status is
// reported by Close. This one exits with status 1 at once, refusing an
// unknown fault, before it is ever called.
func TestProcessPoolCloseReportsAFailedWorker(t *testing.T) {
	pool, err := scenarios.StartSubprocessPoolWithFault(processCtx(t), 2, "no-such-fault")
	require.NoError(t, err)
	err = closePool(t, pool)
	require.Error(t, err, "Close must report the workers that failed")
	assert.Contains(t, err.Error(), "exit status 1")
}

// processTimeout bounds every call a process-pool test makes: the pool's
// processes run in real time, outside any synctest bubble, and a call that
// waits forever (a worker never handed back, never killed) must fail its
// test, named, long before the test binary's timeout.
const processTimeout = 20 * time.Second

// processCtx is t's context with processTimeout as a deadline.
func processCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), processTimeout)
	t.Cleanup(cancel)
	return ctx
}

func TestProcessPoolPrintsItsChecksumInHexLikeTheOtherCPUScenarios(t *testing.T) {
	s, err := scenarios.Lookup("process-pool")
	require.NoError(t, err)
	cfg := scenarios.Config{Workers: 2, Items: 4, Work: 1000}
	for name, run := range map[string]scenarios.RunFunc{"run": s.Run, "serial": s.Serial} {
		res, err := run(t.Context(), cfg)
		require.NoError(t, err, name)
		assert.Regexp(t, `^checksum 0x[0-9a-f]{16} of 4000 squares`, res.Summary, name)
	}
	assert.ErrorContains(t, s.Check(cfg, scenarios.Result{Total: -1}), "checksum 0xffffffffffffffff, want 0x")
}

// withinProcessTimeout returns f's error, or fails the test if f has not
// returned within processTimeout (f's goroutine is then left behind: the
// test has failed).
func withinProcessTimeout(t *testing.T, what string, f func() error) error {
	t.Helper()
	errc := make(chan error, 1)
	go func() { errc <- f() }()
	select {
	case err := <-errc:
		return err
	case <-time.After(processTimeout):
		t.Fatalf("%s hung: still running after %v", what, processTimeout)
		return nil
	}
}

// closePool closes p, or fails the test if Close hangs.
func closePool(t *testing.T, p *scenarios.SubprocessPool) error {
	t.Helper()
	return withinProcessTimeout(t, "Close", p.Close)
}
