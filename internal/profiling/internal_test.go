package profiling

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/scenarios"
)

func TestVerdict(t *testing.T) {
	twoCores := Machine{Cores: 2}
	for _, tc := range []struct {
		name     string
		row      Row
		verdict  string
		evidence string
	}{
		{"cpu/n=1", Row{Run: &Run{Kind: "CPU", Section: scenarios.ProcessPerCore.String(), Procs: 1, Machine: twoCores}, CPU: CPUStats{Parallelism: 0.98}},
			"baseline", "0.98 cores busy at GOMAXPROCS=1"},
		{"cpu/n=2/parallel", Row{Run: &Run{Kind: "CPU", Section: scenarios.ProcessPerCore.String(), Procs: 2, Machine: twoCores}, CPU: CPUStats{Parallelism: 1.9}},
			"contradicts", "1.90 of 2 usable cores busy in one process of goroutines"},
		{"cpu/n=4-on-2-cores/parallel", Row{Run: &Run{Kind: "CPU", Section: scenarios.Multiprocessing.String(), Procs: 4, Machine: twoCores}, CPU: CPUStats{Parallelism: 1.6}},
			"contradicts", "1.60 of 2 usable cores"},
		{"cpu/n=2/starved", Row{Run: &Run{Kind: "CPU", Section: scenarios.ProcessPerCore.String(), Procs: 2, Machine: twoCores}, CPU: CPUStats{Parallelism: 1.1}, Efficiency: 0.55},
			"no evidence", "only 1.10 of 2 usable cores busy (efficiency 55%)"},
		{"cpu/n=2/starved-by-others", Row{Run: &Run{Kind: "CPU", Section: scenarios.ProcessPerCore.String(), Procs: 2, Machine: twoCores, LoadAverage: 3.5}, CPU: CPUStats{Parallelism: 0.97}, Efficiency: 0.5},
			"no evidence", "only 0.97 of 2 usable cores busy (efficiency 50%), while the machine's load average was 3.5 on 2 cores: other programs took the rest"},
		{"cpu/executor/parallel", Row{Run: &Run{Kind: "CPU", Section: scenarios.Executor.String(), Procs: 2, Machine: twoCores}, CPU: CPUStats{Parallelism: 1.9}, Efficiency: 0.9},
			"supports", "1.90 of 2 usable cores busy (efficiency 90%)"},
		{"cpu/oversubscribed", Row{Run: &Run{Kind: "CPU", Section: scenarios.Mistakes.String(), Procs: 2, Config: scenarios.Config{Workers: 256}, Machine: twoCores}, CPU: CPUStats{Parallelism: 1.9}},
			"contradicts", "256 goroutines on 2 Ps kept 1.90"},
		{"process-pool/scales", Row{Run: &Run{Kind: "CPU", Section: scenarios.ProcessPool.String(), Procs: 2, Machine: twoCores}, SpeedupN1: 1.8},
			"supports", "wall-time speed-up 1.80× at n=2; the workers' CPU is not in the parent's profile"},
		{"process-pool/children-counted", Row{Run: &Run{Kind: "CPU", Section: scenarios.ProcessPool.String(), Procs: 2, Machine: twoCores}, CPU: CPUStats{Parallelism: 0.05}, ChildParallelism: 1.8},
			"supports", "1.85 of 2 usable cores busy in all; the workers' CPU is not in the parent's profile (0.05 cores there); getrusage counts 1.80 cores busy in the workers"},
		{"process-pool/children-starved", Row{Run: &Run{Kind: "CPU", Section: scenarios.ProcessPool.String(), Procs: 2, Machine: twoCores}, CPU: CPUStats{Parallelism: 0.05}, ChildParallelism: 0.9, SpeedupN1: 1.9},
			"no evidence", "only 0.95 of 2 usable cores busy in all"},
		{"io/overlaps", Row{Run: &Run{Kind: "IO", Procs: 2}, CPU: CPUStats{Parallelism: 0.01}, SpeedupSerial: 9.5},
			"supports", "waits overlap (9.5× faster than serial) using 0.01 cores"},
		{"io/serial", Row{Run: &Run{Kind: "IO", Procs: 2}, CPU: CPUStats{Parallelism: 0.01}, SpeedupSerial: 1.1},
			"contradicts", "only 1.10× faster than one wait after another"},
		{"io/busy", Row{Run: &Run{Kind: "IO", Procs: 2}, CPU: CPUStats{Parallelism: 0.5}, SpeedupSerial: 9},
			"contradicts", "waiting kept 0.50 cores busy"},
		{"sync/lock/noise", Row{Run: &Run{Kind: "Sync", Section: scenarios.Lock.String(), Procs: 2, WallSeconds: 1, Rounds: 1}, Mutex: &WaitStats{Events: 1, Seconds: 5e-9}, Block: &WaitStats{}},
			"no evidence", "no goroutine waited for a mutex"},
		{"sync/lock/contended", Row{Run: &Run{Kind: "Sync", Section: scenarios.Lock.String(), Procs: 2, WallSeconds: 1, Rounds: 10}, Mutex: &WaitStats{Events: 40, Seconds: 0.02}, Block: &WaitStats{}},
			"supports", "goroutines queued 20ms a round for a lock in 40 contentions"},
		{"sync/semaphore", Row{Run: &Run{Kind: "Sync", Section: scenarios.Semaphore.String(), Procs: 2, MaxConcurrent: 3, Config: scenarios.Config{Limit: 3}, WallSeconds: 1, Rounds: 1}},
			"supports", "at most 3 holders at once with 3 permits"},
		{"sync/semaphore/broken", Row{Run: &Run{Kind: "Sync", Section: scenarios.Semaphore.String(), Procs: 2, MaxConcurrent: 5, Config: scenarios.Config{Limit: 3}, WallSeconds: 1, Rounds: 1}},
			"contradicts", "5 holders at once with only 3 permits"},
		{"sync/condition", Row{Run: &Run{Kind: "Sync", Section: scenarios.Condition.String(), Procs: 2, WallSeconds: 1, Rounds: 1}, Mutex: &WaitStats{}, Block: &WaitStats{Events: 1, Seconds: 0.5}},
			"supports", "goroutines waited 500ms a round in 1 blocking event"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			verdict, evidence := verdict(&tc.row)
			assert.Equal(t, tc.verdict, verdict)
			assert.Contains(t, evidence, tc.evidence)
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

func TestWriteFileIsAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.md")
	require.NoError(t, os.WriteFile(path, []byte("the old report"), 0o644))

	err := writeFile(path, func(w io.Writer) error {
		io.WriteString(w, "half a new rep")
		return errors.New("interrupted")
	})
	require.ErrorContains(t, err, "interrupted")
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "the old report", string(b), "a failed write leaves the old file whole")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "and no temporary file behind")

	require.NoError(t, writeFile(path, func(w io.Writer) error {
		_, err := io.WriteString(w, "the new report")
		return err
	}))
	b, err = os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "the new report", string(b))
}
