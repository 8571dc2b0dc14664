package scenarios_test

import (
	"context"
	"fmt"
	"runtime/pprof"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/scenarios"
)

// The broken variants of this file race (forgotten-join-broken) and leak
// (leak-blocked): the race detector and goleak would fail this package if
// they ran here, so only the correctness suite runs them, in a child
// process or between goleak.Find and the release Result.Data hands back.

func TestForgottenJoinSumsEveryResult(t *testing.T) {
	s, err := scenarios.Lookup("forgotten-join")
	require.NoError(t, err)
	for _, items := range itemSweep {
		for _, workers := range workerSweep(items) {
			for _, work := range []int{0, 50} {
				cfg := scenarios.Config{Workers: workers, Items: items, Work: work}
				t.Run(fmt.Sprintf("forgotten-join/workers=%d/items=%d/work=%d", workers, items, work), func(t *testing.T) {
					res, err := s.Run(t.Context(), cfg)
					require.NoError(t, err)
					assert.NoError(t, s.Check(cfg, res), "the sum read after the join is complete")
					serial, err := s.Serial(t.Context(), cfg)
					require.NoError(t, err)
					assert.Equal(t, serial.Total, res.Total, "the serial baseline sums the same")
				})
			}
		}
	}
}

func TestCheckForgottenJoinRejectsAPartialSum(t *testing.T) {
	s, err := scenarios.Lookup("forgotten-join")
	require.NoError(t, err)
	cfg := scenarios.Config{Workers: 2, Items: 3}
	assert.NoError(t, s.Check(cfg, scenarios.Result{Items: 3, Total: 1 + 4 + 9}))
	assert.EqualError(t, s.Check(cfg, scenarios.Result{Items: 3, Total: 1 + 4}),
		"sum 0x0000000000000005, want 0x000000000000000e: results read before every worker had written its own")
}

func TestLeakFirstAnswerWinsAndNothingLeaks(t *testing.T) {
	const d = 10 * time.Millisecond
	s, err := scenarios.Lookup("leak")
	require.NoError(t, err)
	for _, workers := range []int{1, 2, 4, 64} {
		cfg := scenarios.Config{Workers: workers, Items: 12, Latency: d}
		t.Run(fmt.Sprintf("leak/workers=%d", workers), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				start := time.Now()
				res, err := s.Run(t.Context(), cfg)
				require.NoError(t, err)
				assert.Equal(t, d, time.Since(start), "the call returns with the fastest replica: the others are cancelled and joined at once")
				assert.Equal(t, 0, res.Data, "replica 0 is the fastest")
				assert.Equal(t, int64(144), res.Total)
				assert.NoError(t, s.Check(cfg, res))
				// synctest.Test itself fails if a goroutine of the bubble
				// is still running when the function returns; goleak
				// checks the same for the package in TestMain.
			})
		})
	}
}

func TestLeakStopsOnCancel(t *testing.T) {
	s, err := scenarios.Lookup("leak")
	require.NoError(t, err)
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := s.Run(ctx, scenarios.Config{Workers: 3, Items: 2, Latency: 10 * time.Millisecond})
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, 5*time.Millisecond, time.Since(start))
	})
}

// The join the article's p.join() stands for: results are read only after
// wg.Wait, so the sum is complete.
func Example_forgottenJoin() {
	s, err := scenarios.Lookup("forgotten-join")
	if err != nil {
		panic(err)
	}
	cfg := scenarios.Config{Workers: 4, Items: 4}
	res, err := s.Run(context.Background(), cfg)
	fmt.Println(res.Total, err, s.Check(cfg, res))
	// Output: 30 <nil> <nil>
}

// Kills leak-unbuffered: replicas that answer at the same instant must not
// block each other. With no latency every replica answers at once, and the
// losers' sends need the channel's slots: on an unbuffered channel they
// block forever, which the bubble reports as a deadlock.
func TestLeakSimultaneousAnswersDoNotBlock(t *testing.T) {
	s, err := scenarios.Lookup("leak")
	require.NoError(t, err)
	for range 20 {
		synctest.Test(t, func(t *testing.T) {
			cfg := scenarios.Config{Workers: 16, Items: 3}
			res, err := s.Run(t.Context(), cfg)
			require.NoError(t, err)
			assert.Equal(t, int64(9), res.Total)
		})
	}
}

// TestFirstAnswerJoinsItsLosers: the fixed "first answer wins" cancels the
// losing replicas and waits for them, so none is left in its code when the
// run returns (they are labelled like the test, and told apart by their
// frames). At GOMAXPROCS 1 the cancelled losers have not run yet when a run
// that did not wait returns, so they are still in it.
func TestFirstAnswerJoinsItsLosers(t *testing.T) {
	s, err := scenarios.Lookup("leak")
	require.NoError(t, err)
	for round := range 5 {
		label := fmt.Sprintf("first-answer-round-%d", round)
		pprof.Do(t.Context(), pprof.Labels("conclab-test", label), func(ctx context.Context) {
			_, err := s.Run(ctx, scenarios.Config{Workers: 4, Items: 2, Latency: time.Millisecond})
			require.NoError(t, err)
		})
		n := goroutinesIn(t, "conclab-test", label, "scenarios.firstAnswer.")
		require.Zero(t, n, "round %d: losing replicas still running after the run returned", round)
	}
}
