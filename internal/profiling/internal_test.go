package profiling

import (
	"context"
	"errors"
	"github.com/conclab/conclab/internal/pprofkit"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/scenarios"
)

// TestJudge: each row is judged by the claim its scenario declares, by
// name; the section plays no part.
func TestJudge(t *testing.T) {
	twoCores := pprofkit.Machine{Cores: 2}
	cpu := func(name string, n int, p float64) Row {
		return Row{Run: &Run{Scenario: name, Procs: n, Machine: twoCores, WallSeconds: 1, Rounds: 1}, CPU: pprofkit.CPUStats{Parallelism: p}}
	}
	loaded := cpu("cpu-bound", 2, 0.97)
	loaded.Run.LoadAverage = 3.5
	oversubscribed := cpu("oversubscribe", 2, 1.9)
	oversubscribed.Run.Config.Workers = 256
	pool := func(p, children, speedup float64) Row {
		r := cpu("process-pool", 2, p)
		r.ChildParallelism, r.SpeedupN1 = children, speedup
		return r
	}
	io := func(p, serial float64) Row {
		r := cpu("download", 2, p)
		r.SpeedupSerial = serial
		return r
	}
	onPath := func(overPath float64) Row {
		r := io(0.01, 1.1) // the speed-up over serial, not judged when the critical path is known
		r.OverPath = overPath
		return r
	}
	noSample := onPath(1.02)
	noSample.CPU = pprofkit.CPUStats{WallSeconds: 0.5} // waited the whole recording: not one CPU sample
	sync := func(name string, mutex, block *pprofkit.WaitStats, peak, limit int) Row {
		r := Row{Run: &Run{Scenario: name, Procs: 2, Machine: twoCores, WallSeconds: 1, Rounds: 10, MaxConcurrent: peak}, Mutex: mutex, Block: block}
		r.Run.Config.Limit = limit
		return r
	}
	brokenLoaded := sync("semaphore", nil, nil, 5, 3)
	brokenLoaded.Run.LoadAverage = 5
	for _, tc := range []struct {
		name     string
		row      Row
		verdict  string
		evidence []string
	}{
		{"cpu/n=1", cpu("cpu-bound", 1, 0.98), "baseline", []string{"0.98 cores busy at GOMAXPROCS=1"}},
		{"cpu/n=2/parallel", cpu("cpu-bound", 2, 1.9), "yes",
			[]string{"Go: goroutines in one process use the cores; processes not needed", "expected, not a failure", "1.9 cores busy (one measurement) ≥ 1.5"}},
		{"cpu/n=4-on-2-cores/parallel", cpu("pool-map", 4, 1.6), "yes", []string{"1.6 cores busy (one measurement) ≥ 1.5"}},
		{"cpu/n=2/starved", cpu("cpu-bound", 2, 1.1), "no", []string{"refuted: Go did not show that 75% of 2 usable cores busy", "1.1 cores busy (one measurement) ≥ 1.5"}},
		{"cpu/n=2/starved-by-others", loaded, "inconclusive",
			[]string{"the machine was loaded: other programs kept", "load average was 3.5 on 2 cores"}},
		{"cpu/executor/parallel", cpu("executor", 2, 1.9), "yes", []string{"Go: a pool of goroutines with futures"}},
		{"cpu/oversubscribed", oversubscribed, "yes", []string{"256 goroutines on a few cores still use them all"}},
		{"process-pool/speed-up-only", pool(0.02, 0, 1.8), "yes", []string{"1.8× over n=1 (the workers' CPU is not in the profile)"}},
		{"process-pool/children-counted", pool(0.05, 1.8, 1.7), "yes", []string{"1.85 cores busy (one measurement)", "0.05+1.80 children"}},
		{"process-pool/children-starved", pool(0.05, 0.9, 1.9), "no", []string{"0.95 cores busy"}},
		{"io/overlaps", io(0.01, 9.5), "yes", []string{"Go: one goroutine per file overlaps the waits", "9.5× over serial (one measurement) ≥ 1.5", "0.01 cores busy (one measurement) ≤ 0.2"}},
		{"io/on-its-critical-path", onPath(1.05), "yes", []string{"1.05 critical paths (one measurement) ≤ 2"}},
		{"io/off-its-critical-path", onPath(4), "no", []string{"refuted: Go did not show that the waits overlap", "4 critical paths (one measurement) ≤ 2"}},
		{"io/no-cpu-sample", noSample, "yes", []string{"0.02 cores busy (one measurement) ≤ 0.2"}},
		{"io/serial", io(0.01, 1.1), "no", []string{"refuted: Go did not show that the waits overlap", "1.1× over serial (one measurement) ≥ 1.5"}},
		{"io/busy", io(0.5, 9), "no", []string{"refuted: Go did not show that waiting costs almost no CPU"}},
		{"sync/lock/noise", sync("counter-mutex", &pprofkit.WaitStats{Events: 1, Seconds: 5e-9}, &pprofkit.WaitStats{}, 0, 0), "inconclusive",
			[]string{"do not show it, and cannot refute it"}},
		{"sync/lock/contended", sync("counter-mutex", &pprofkit.WaitStats{Events: 40, Seconds: 0.02}, &pprofkit.WaitStats{}, 0, 0), "yes",
			[]string{"Go: sync.Mutex serialises the increments"}},
		{"sync/atomic/checked", sync("counter-atomic", &pprofkit.WaitStats{}, &pprofkit.WaitStats{}, 0, 0), "yes", []string{"needs no lock"}},
		{"sync/semaphore", sync("semaphore", nil, nil, 3, 3), "yes", []string{"3 holders (one measurement) ≤ 3"}},
		{"sync/semaphore/broken", sync("semaphore", nil, nil, 5, 3), "no", []string{"5 holders (one measurement) ≤ 3"}},
		{"sync/semaphore/broken-on-a-loaded-machine", brokenLoaded, "no", []string{"5 holders", "load average was 5.0"}},
		{"sync/condition", sync("condition", &pprofkit.WaitStats{}, &pprofkit.WaitStats{Events: 1, Seconds: 0.5}, 0, 0), "yes", []string{"Go: sync.Cond waits"}},
		{"unregistered", cpu("no-such-scenario", 2, 1.9), "inconclusive", []string{"not in this build"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			verdict, evidence := judge(&tc.row)
			assert.Equal(t, tc.verdict, verdict, evidence)
			for _, e := range tc.evidence {
				assert.Contains(t, evidence, e)
			}
		})
	}
}

func TestTimeSerialLeavesTheCheckOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		checks := 0
		s := &scenarios.Scenario{
			Name: "sleepy",
			Serial: func(ctx context.Context, cfg scenarios.Config) (scenarios.Result, error) {
				return scenarios.Result{}, scenarios.Sleep(ctx, 10*time.Millisecond)
			},
			Check: func(scenarios.Config, scenarios.Result) error {
				checks++
				time.Sleep(time.Second) // virtual time in the bubble: a Check that redoes the serial work
				return nil
			},
		}
		round, err := timeSerial(t.Context(), s, scenarios.Config{}, 35*time.Millisecond)
		require.NoError(t, err)
		assert.Equal(t, 0.010, round, "one round of the baseline, the check left out")
		assert.Equal(t, 1, checks, "the first round is checked")
	})
}

// TestWatchPeakStopsItsWatcher: watchPeak returns its round's error once
// the round is over, its watcher stopped; a watcher never told to stop
// fails here, after a few seconds, not at the test binary's timeout.
func TestWatchPeakStopsItsWatcher(t *testing.T) {
	boom := errors.New("boom")
	var (
		peak int
		prof []byte
		err  error
	)
	returned := make(chan struct{})
	go func() {
		defer close(returned)
		peak, prof, err = watchPeak(t.Context(), func(context.Context) error { return boom })
	}()
	const limit = 10 * time.Second // a round that returns at once: watchPeak takes a millisecond
	select {
	case <-returned:
	case <-time.After(limit):
		t.Fatalf("watchPeak has not returned %v after its round did: its watcher was never stopped", limit)
	}
	assert.ErrorIs(t, err, boom)
	assert.GreaterOrEqual(t, peak, 2, "at least the caller and the watcher")
	assert.NotEmpty(t, prof, "the goroutine profile at the peak")
}
