package main

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"go.uber.org/goleak"

	"github.com/conclab/conclab/scenarios"
)

func TestMain(m *testing.M) {
	scenarios.ServeIfWorker()
	goleak.VerifyTestMain(m)
}

// A table as compare builds it, with figures like those of a 2-core machine.
func exampleTable() *table {
	s := quickSizes
	t := &table{o: options{reps: 1, cores: 2, sizes: s}}
	cpu, io := "cpu", "io"
	ms := time.Millisecond
	t.rows = []row{
		{workload: cpu, model: pyThreads, workers: 1, wall: 100 * ms},
		{workload: cpu, model: pyThreads, workers: 2, wall: 104 * ms, speedup: 100.0 / 104},
		{workload: cpu, model: pyProcesses, workers: 1, wall: 100 * ms},
		{workload: cpu, model: pyProcesses, workers: 2, wall: 52 * ms, speedup: 100.0 / 52},
		{workload: cpu, model: goGoroutine, workers: 1, wall: 4 * ms},
		{workload: cpu, model: goGoroutine, workers: 2, wall: 2 * ms, speedup: 2},
		{workload: cpu, model: goProcesses, workers: 2, note: "scenario process-pool not in this build"},
		{workload: io, model: pyThreads, workers: s.waits, wall: 30 * ms},
		{workload: io, model: pyAsyncio, workers: s.waits, wall: 21 * ms},
		{workload: io, model: goGoroutine, workers: s.waits, wall: 20 * ms},
	}
	t.ratios()
	t.check(cpu, io)
	return t
}

func TestRatiosAgainstTheBestPython(t *testing.T) {
	tab := exampleTable()
	r, ok := tab.find("cpu", goGoroutine, 2)
	assert.True(t, ok)
	assert.InDelta(t, 2.0/52, r.ratio, 1e-9, "Go at 2 workers over Python processes, the faster Python at 2 workers")
	r, _ = tab.find("io", goGoroutine, quickSizes.waits)
	assert.InDelta(t, 20.0/21, r.ratio, 1e-9, "Go over asyncio, the faster Python on I/O")
	r, _ = tab.find("cpu", pyProcesses, 2)
	assert.Zero(t, r.ratio, "Python rows have no Go/Python ratio")
}

func TestClaims(t *testing.T) {
	tab := exampleTable()
	got := map[string]bool{}
	for _, c := range tab.claims {
		got[c.text] = c.ok
	}
	assert.Equal(t, map[string]bool{
		"threads give CPU-bound Python no speed-up (the GIL)": true,
		"processes do": true,
		"goroutines do, with far less overhead than either":          true,
		"for I/O, threads, asyncio and goroutines all overlap waits": true,
	}, got, "no claim about Go processes without a measurement")
}

func TestPrint(t *testing.T) {
	var out bytes.Buffer
	exampleTable().print(&out)
	s := out.String()
	assert.Contains(t, s, "n/a [1]")
	assert.Contains(t, s, "[1] scenario process-pool not in this build")
	assert.Contains(t, s, "[yes] processes do: Python processes: 1.92× on 2 cores")
	assert.Regexp(t, `Go goroutines +2 +2ms +2\.00× +0\.038`, s)
}

func TestFormats(t *testing.T) {
	assert.Equal(t, "20 000 000", count(20_000_000))
	assert.Equal(t, "999", count(999))
	assert.Equal(t, "1 000", count(1000))
	assert.Equal(t, "2.5 ns", perItem(25*time.Nanosecond, 10))
	assert.Equal(t, "12.00 µs", perItem(12*time.Millisecond, 1000))
	assert.Equal(t, "200.00 ms", perItem(200*time.Millisecond, 1))
}
