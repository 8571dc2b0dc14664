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
	leak := &Finding{Type: "finding", Kind: KindLeak, Package: "example.com/p", Test: "TestLeaky", Message: "1 goroutine(s) started by TestLeaky still running", Seed: 7, GOMAXPROCS: 1, Run: 1}
	race := &Finding{Type: "finding", Kind: KindRace, Package: "example.com/p", Test: "TestLeaky", Message: "data race: write at p.go:12 vs read at p.go:20", Seed: 10, GOMAXPROCS: 4, Run: 4}
	return &Summary{Type: "summary", Findings: 3, Runs: 27, Tests: []TestResult{
		{Package: "example.com/p", Test: "TestHang", Runs: 3, Finding: f},
		{Package: "example.com/p", Test: "TestLeaky", Runs: 4, Finding: leak, Also: []*Finding{race}},
		{Package: "example.com/p", Test: "TestOK", Runs: 20},
		{Package: "example.com/p", Test: "TestSpin", Runs: 2, Slow: true},
	}}
}

func TestWriteText(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, sampleSummary().WriteText(&b))
	out := b.String()
	assert.Contains(t, out, "FOUND example.com/p TestHang   deadlock in run 3 (seed 42, GOMAXPROCS 2)")
	assert.Contains(t, out, "FOUND example.com/p TestLeaky  leak in run 1 (seed 7, GOMAXPROCS 1)")
	assert.Contains(t, out, "FOUND example.com/p TestLeaky  race in run 4 (seed 10, GOMAXPROCS 4)")
	assert.Contains(t, out, "ok    example.com/p TestOK     clean in 20 runs")
	assert.Contains(t, out, "replay: conclab hunt -run '^TestHang$' -seed 42 -cpu 2 ./p")
	assert.Contains(t, out, "--- race: example.com/p TestLeaky (run 4")
	assert.Contains(t, out, "slow  example.com/p TestSpin   clean in 2 runs, then a run outlived the hard timeout")
	assert.NotContains(t, out, "ok    example.com/p TestSpin", "a test stopped as slow is not called clean")
	assert.Contains(t, out, "hunt: 4 tests in 1 package, 27 runs, 0.0s: 3 findings, 1 test stopped as slow")
}

func TestWriteReport(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ file, want string }{
		{"hunt.md", "| example.com/p | TestHang | **deadlock** | 3 | 42 | 2 |"},
		{"hunt.md", "| example.com/p | TestLeaky | **race** | 4 | 10 | 4 |"},
		{"hunt.html", "&lt;chan send&gt;"},
		{"hunt.html", "<h3>race: TestLeaky</h3>"},
		{"hunt.md", "| example.com/p | TestSpin | slow (clean, then a run outlived the hard timeout) | 2 | | |"},
		{"hunt.html", "<td>TestSpin</td><td>slow"},
		{"hunt.md", "### leak: TestLeaky\n\n1 goroutine(s) started by TestLeaky still running\n\nReplay:"}, // no empty code block
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
