//go:build unix

package profiling_test

import (
	"context"
	"errors"
	"fmt"
	"github.com/conclab/conclab/internal/pprofkit"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/internal/pprofkit/pproftest"
	"github.com/conclab/conclab/internal/profiling"
)

// spin is the hot function of the live recordings: arithmetic only, so that
// the race detector adds nothing to it.
//
//go:noinline
func spin(n int) uint64 {
	var x uint64
	for i := range n {
		x = x*6364136223846793005 + uint64(i)
	}
	return x
}

// processCPU returns the CPU time the process has used so far.
func processCPU(t *testing.T) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Error(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// busyRound returns a round in which n goroutines spin until the process has
// used cpu more CPU time. It is measured in CPU time, not wall time, so
// that the profile gets its samples however loaded the machine is.
func busyRound(t *testing.T, n int, cpu time.Duration) func(context.Context) error {
	var sink atomic.Uint64
	return func(ctx context.Context) error {
		target := processCPU(t) + cpu
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				for ctx.Err() == nil && processCPU(t) < target {
					sink.Add(spin(50_000))
				}
			})
		}
		wg.Wait()
		return ctx.Err()
	}
}

func TestRecordBusyLoop(t *testing.T) {
	for _, n := range []int{1, 2} {
		t.Run(fmt.Sprintf("busy-loop/gomaxprocs=%d", n), func(t *testing.T) {
			dir := t.TempDir()
			rec, err := profiling.Record(t.Context(), dir, profiling.Job{Procs: n, Round: busyRound(t, n, 200*time.Millisecond)})
			require.NoError(t, err)
			assert.Equal(t, 1, rec.Rounds, "MinWall 0: one round")
			assert.Equal(t, profiling.Files{CPU: fmt.Sprintf("cpu-%d.pb.gz", n)}, rec.Files)

			p, err := pprofkit.ReadProfile(filepath.Join(dir, rec.Files.CPU))
			require.NoError(t, err, "the CPU profile parses")
			st, err := pprofkit.AnalyzeCPU(p, 3)
			require.NoError(t, err)
			require.NotEmpty(t, st.Top, "the profile has samples")
			assert.Equal(t, "github.com/conclab/conclab/internal/profiling_test.spin", st.Top[0].Name, "the hot function is on top: %v", st.Top)
			assert.Greater(t, st.Parallelism, 0.0)
			assert.LessOrEqual(t, st.Parallelism, float64(n)+0.5, "no more cores busy than GOMAXPROCS allows, give or take the runtime's own threads")

			svg, err := os.Create(filepath.Join(dir, "cpu.svg"))
			require.NoError(t, err)
			require.NoError(t, pprofkit.WriteFlameGraph(svg, p, "busy loop"))
			require.NoError(t, svg.Close())
			data, err := os.ReadFile(svg.Name())
			require.NoError(t, err)
			_, ok := pproftest.FrameNamed(pproftest.ParseFlameGraph(t, data), "github.com/conclab/conclab/internal/profiling_test.spin")
			assert.True(t, ok, "the flame graph has a frame for the hot function")
		})
	}
}

func TestRecordContentionAndGoroutines(t *testing.T) {
	dir := t.TempDir()
	var mu sync.Mutex
	var counter int
	rec, err := profiling.Record(t.Context(), dir, profiling.Job{
		Procs:   2,
		Extra:   profiling.Mutex | profiling.Block | profiling.Goroutine,
		MinWall: 20 * time.Millisecond,
		Round: func(ctx context.Context) error {
			var wg sync.WaitGroup
			for range 4 {
				wg.Go(func() {
					for range 1000 {
						mu.Lock()
						counter++
						mu.Unlock()
					}
				})
			}
			wg.Wait()
			return nil
		},
	})
	require.NoError(t, err)
	assert.Equal(t, rec.Rounds, rec.ExtraRounds, "the contention pass repeats the CPU pass's rounds")
	assert.Equal(t, 2*4*1000*rec.Rounds, counter, "every round ran to the end, in both passes")
	assert.Equal(t, profiling.Files{CPU: "cpu-2.pb.gz", Mutex: "mutex-2.pb.gz", Block: "block-2.pb.gz", Goroutine: "goroutine-2.pb.gz"}, rec.Files)
	assert.GreaterOrEqual(t, rec.PeakGoroutines, 2, "at least the test and the watcher")
	for _, f := range []string{rec.Files.Mutex, rec.Files.Block} {
		p, err := pprofkit.ReadProfile(filepath.Join(dir, f))
		require.NoError(t, err, f)
		st, err := pprofkit.AnalyzeWait(p)
		require.NoError(t, err, f)
		assert.GreaterOrEqual(t, st.Seconds, 0.0, "%s: the difference of two snapshots is never negative", f)
	}
	p, err := pprofkit.ReadProfile(filepath.Join(dir, rec.Files.Goroutine))
	require.NoError(t, err)
	g, err := pprofkit.CountGoroutines(p)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, g, int64(2))
}

func TestRecordStops(t *testing.T) {
	boom := errors.New("boom")
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	for _, tc := range []struct {
		name string
		ctx  context.Context
		job  profiling.Job
		want string
	}{
		{"gomaxprocs=0", t.Context(), profiling.Job{Procs: 0, Round: func(context.Context) error { return nil }}, "GOMAXPROCS 0"},
		{"no-round", t.Context(), profiling.Job{Procs: 1}, "no Round"},
		{"round-fails", t.Context(), profiling.Job{Procs: 1, Round: func(context.Context) error { return boom }}, "boom"},
		{"cancelled", cancelled, profiling.Job{Procs: 1, Round: func(ctx context.Context) error { return ctx.Err() }}, "context canceled"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			_, err := profiling.Record(tc.ctx, dir, tc.job)
			assert.ErrorContains(t, err, tc.want)
			entries, _ := os.ReadDir(dir)
			assert.Empty(t, entries, "a failed recording writes nothing")
		})
	}
}

// waitingInRecord reports whether some goroutine is parked on a lock taken
// by Record itself: the innermost frame of this package on its own stack
// (above any "[originating from" ancestry) is Record. Frames between the
// lock and Record, such as a hunt's wrapped Mutex, do not matter.
func waitingInRecord() bool {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	for _, g := range strings.Split(string(buf), "\n\n") {
		if !strings.Contains(g, " [sync.Mutex.Lock") {
			continue
		}
		own, _, _ := strings.Cut(g, "\n[originating from")
		for _, line := range strings.Split(own, "\n") {
			if _, fn, ok := strings.Cut(line, "/internal/profiling."); ok && !strings.HasPrefix(line, "\t") {
				if strings.HasPrefix(fn, "Record(") {
					return true
				}
				break
			}
		}
	}
	return false
}

// TestRecordWaitsForTheRecordingUnderWay starts a second recording from
// inside the first's round: it waits for the first to end (a process has
// one CPU profiler), rather than run beside it and fail.
func TestRecordWaitsForTheRecordingUnderWay(t *testing.T) {
	dir, dir2 := t.TempDir(), t.TempDir()
	second := make(chan error, 1)
	_, err := profiling.Record(t.Context(), dir, profiling.Job{Procs: 1, Round: func(ctx context.Context) error {
		go func() {
			_, err := profiling.Record(ctx, dir2, profiling.Job{Procs: 1, Round: func(context.Context) error { return nil }})
			second <- err
		}()
		for !waitingInRecord() {
			select {
			case err := <-second:
				return fmt.Errorf("a second recording ran beside this one: %v", err)
			default:
				runtime.Gosched()
			}
		}
		return nil
	}})
	require.NoError(t, err, "the first recording")
	assert.NoError(t, <-second, "the second recording, once the first was done")
}
