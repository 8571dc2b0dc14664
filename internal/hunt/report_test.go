package hunt

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func sampleSummary() *Summary {
	f := &Finding{
		Type: "finding", Kind: KindDeadlock, Package: "example.com/p", Test: "TestHang", Message: "no progress for 3s: <chan send>",
		Seed: 42, GOMAXPROCS: 2, Run: 3, Stacks: []string{"goroutine 7 [chan send]:\nexample.com/p.send(...)\n\t/p/p.go:9"},
		Replay: "conclab hunt -run '^TestHang$' -seed 42 -cpu 2 ./p",
	}
	return &Summary{Type: "summary", Findings: 1, Runs: 23, Tests: []TestResult{
		{Package: "example.com/p", Test: "TestHang", Runs: 3, Finding: f},
		{Package: "example.com/p", Test: "TestOK", Runs: 20},
	}}
}

func TestWriteText(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, sampleSummary().WriteText(&b))
	out := b.String()
	assert.Contains(t, out, "FOUND example.com/p TestHang  deadlock in run 3 (seed 42, GOMAXPROCS 2)")
	assert.Contains(t, out, "ok    example.com/p TestOK    clean in 20 runs")
	assert.Contains(t, out, "replay: conclab hunt -run '^TestHang$' -seed 42 -cpu 2 ./p")
	assert.Contains(t, out, "hunt: 2 tests in 1 package, 23 runs, 0.0s: 1 finding")
}

func TestWriteReport(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ file, want string }{
		{"hunt.md", "| example.com/p | TestHang | **deadlock** | 3 | 42 | 2 |"},
		{"hunt.html", "&lt;chan send&gt;"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join(dir, tc.file)
			require.NoError(t, sampleSummary().WriteReport(path))
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Contains(t, string(data), tc.want)
		})
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 2, "no temporary file left behind")
	assert.Error(t, sampleSummary().WriteReport(filepath.Join(dir, "missing", "hunt.md")), "an unwritable path is an error")
}
