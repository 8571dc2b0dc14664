package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestProfileAndReportBadInput(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a-file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	empty := t.TempDir()
	corrupt := t.TempDir()
	require.NoError(t, os.CopyFS(corrupt, os.DirFS("../../internal/profiling/testdata/merged/laptop")))
	require.NoError(t, os.WriteFile(filepath.Join(corrupt, "cpu-bound", "cpu-2.pb.gz"), []byte("not a profile"), 0o644))

	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown scenario", []string{"profile", "-scenario", "nope"}, `conclab profile: -scenario: unknown scenario "nope"`},
		{"one unknown among known", []string{"profile", "-scenario", "counter-mutex,counter-mutx"}, `(did you mean "counter-mutex"?)`},
		{"cpu zero", []string{"profile", "-cpu", "0"}, "conclab profile: -cpu 0: must be between 1 and 1024"},
		{"cpu negative", []string{"profile", "-cpu", "1,-2"}, "conclab profile: -cpu -2: must be between 1 and 1024"},
		{"cpu absurd", []string{"profile", "-cpu", "100000"}, "conclab profile: -cpu 100000: must be between 1 and 1024"},
		{"cpu not a number", []string{"profile", "-cpu", "1,two"}, `conclab profile: -cpu "1,two": "two" is not a whole number`},
		{"cpu empty", []string{"profile", "-cpu", ""}, `conclab profile: -cpu "": "" is not a whole number`},
		{"work zero", []string{"profile", "-work", "0"}, "conclab profile: -work 0: must be greater than 0 and at most 100"},
		{"work negative", []string{"profile", "-work", "-1"}, "conclab profile: -work -1: must be greater than 0"},
		{"work absurd", []string{"profile", "-work", "1e9"}, "conclab profile: -work 1e+09: must be greater than 0"},
		{"unwritable out", []string{"profile", "-out", filepath.Join(file, "sub")}, "conclab profile: -out: cannot write to " + filepath.Join(file, "sub") + ": not a directory"},
		{"profile extra argument", []string{"profile", "extra"}, `conclab profile: unexpected argument "extra"`},
		{"report no dir", []string{"report"}, "conclab report: missing directory of profiles"},
		{"report missing dir", []string{"report", filepath.Join(empty, "nope")}, "conclab report: stat " + filepath.Join(empty, "nope") + ": no such file or directory"},
		{"report empty dir", []string{"report", empty}, "conclab report: no recordings"},
		{"report unwritable out", []string{"report", "-out", filepath.Join(file, "sub"), "../../internal/profiling/testdata/merged/ci"}, "conclab report: cannot write to " + filepath.Join(file, "sub") + ": not a directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := conclab(t, tc.args...)
			assert.Equal(t, 2, code, "bad input exits 2: %s", stderr)
			assert.Empty(t, stdout, "nothing on stdout")
			assert.Contains(t, stderr, tc.want)
			assert.Equal(t, 1, strings.Count(stderr, "\n"), "one line on stderr: %q", stderr)
		})
	}
}

func TestReportWithACorruptProfileSkipsItsRowAndExits1(t *testing.T) {
	corrupt := t.TempDir()
	require.NoError(t, os.CopyFS(corrupt, os.DirFS("../../internal/profiling/testdata/merged/laptop")))
	require.NoError(t, os.WriteFile(filepath.Join(corrupt, "cpu-bound", "cpu-2.pb.gz"), []byte("not a profile"), 0o644))
	code, stdout, stderr := conclab(t, "report", corrupt)
	assert.Equal(t, 1, code, "unreadable data is a failure, not a usage error")
	assert.Contains(t, stderr, "warning: skipped "+filepath.Join(corrupt, "cpu-bound", "cpu-2.pb.gz")+": not a valid pprof profile")
	assert.Contains(t, stderr, "conclab report: 1 of 8 recordings could not be read and are left out of the report\n")
	assert.Contains(t, stdout, "download", "the other rows are reported")
	md, err := os.ReadFile(filepath.Join(corrupt, "report.md"))
	require.NoError(t, err)
	assert.Contains(t, string(md), "**1 recording left out**", "the report says what it lacks")
}

func TestProfileWritesTheReport(t *testing.T) {
	out := filepath.Join(t.TempDir(), "profiles")
	code, stdout, stderr := conclab(t, "profile", "-scenario", "counter-atomic,counter-mutex", "-cpu", "1,2", "-work", "0.01", "-out", out)
	require.Equal(t, 0, code, stderr)

	assert.Contains(t, stderr, "[1/6] counter-atomic serial baseline …\n")
	assert.Contains(t, stderr, "[3/6] counter-atomic GOMAXPROCS=2 …\n")
	assert.Contains(t, stderr, "[6/6] counter-mutex GOMAXPROCS=2 …\n")
	assert.Regexp(t, `(?m)^\s+\S+ a round, \d+\.\d\d cores busy; go tool pprof -http=:0 \S+/counter-mutex/cpu-2\.pb\.gz$`, stderr)
	assert.Regexp(t, `(?m)^SCENARIO\s+N\s+WALL\s+÷PATH\s+×SERIAL\s+×N=1\s+EFFICIENCY\s+PARALLELISM\s+MUTEX WAIT\s+BLOCK WAIT\s+TOP FUNCTION\s+NOTE$`, stdout)
	assert.Regexp(t, `(?m)^counter-mutex\s+2\s+\S+\s+-\s+\S+×\s+\S+×\s+\d+%\s+\d+\.\d\d\s+\S+s\s+\S+s\s+\S`, stdout)

	for _, f := range []string{
		"report.md", "report.html", "speedup-counter-atomic.svg", "speedup-counter-mutex.svg",
		"counter-atomic/cpu-1.pb.gz", "counter-atomic/cpu-1.svg", "counter-atomic/run-1.json", "counter-atomic/run-2.json",
		"counter-mutex/mutex-2.pb.gz", "counter-mutex/block-2.pb.gz", "counter-mutex/cpu-2.svg",
	} {
		assert.FileExists(t, filepath.Join(out, f))
	}
	md, err := os.ReadFile(filepath.Join(out, "report.md"))
	require.NoError(t, err)
	assert.Contains(t, string(md), "## counter-mutex")
	assert.Contains(t, string(md), "[cpu-2.svg](counter-mutex/cpu-2.svg)")
	assert.Contains(t, string(md), "lock = threading.Lock()", "the article's Python beside each scenario")
	assert.Contains(t, string(md), "> The article: A Lock “ensures only one thread accesses a resource at a time”.")

	// report rebuilds the same report from the files alone.
	require.NoError(t, os.Remove(filepath.Join(out, "report.md")))
	code, stdout2, stderr := conclab(t, "report", "-quiet", out)
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, stderr, "-quiet")
	assert.Equal(t, firstColumns(stdout), firstColumns(stdout2), "the same rows")
	assert.FileExists(t, filepath.Join(out, "report.md"))

	// A second profile run replaces the first: no stale n=2 rows.
	code, stdout, stderr = conclab(t, "profile", "-quiet", "-scenario", "counter-atomic", "-cpu", "1", "-work", "0.01", "-out", out)
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, stderr, "-quiet")
	assert.NoFileExists(t, filepath.Join(out, "counter-atomic", "run-2.json"))
	assert.Contains(t, stdout, "counter-mutex  ", "other scenarios' recordings are kept")
}

// firstColumns keeps the scenario and n of each line of a summary.
func firstColumns(summary string) []string {
	var rows []string
	for line := range strings.SplitSeq(strings.TrimSpace(summary), "\n") {
		f := strings.Fields(line)
		rows = append(rows, f[0]+" "+f[1])
	}
	return rows
}

func TestProfileInterruptedLeavesNoReport(t *testing.T) {
	out := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(out, "report.md"), []byte("an old report"), 0o644))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	var stdout, stderr bytes.Buffer
	code := Main(ctx, []string{"profile", "-quiet", "-scenario", "counter-atomic", "-cpu", "1", "-work", "0.01", "-out", out}, &stdout, &stderr)
	assert.Equal(t, 130, code)
	assert.Contains(t, stderr.String(), "conclab profile: interrupted at [1/2] counter-atomic serial baseline: no report written")
	assert.NoFileExists(t, filepath.Join(out, "report.md"), "an interrupted run leaves no report that looks complete")
	assert.Empty(t, stdout.String())
}

func TestProfileHelp(t *testing.T) {
	for _, cmd := range []string{"profile", "report"} {
		code, stdout, stderr := conclab(t, cmd, "-h")
		assert.Equal(t, 0, code)
		assert.Contains(t, stdout, "Usage: conclab "+cmd)
		assert.Empty(t, stderr)
	}
}

func TestDefaultCPUList(t *testing.T) {
	procs, err := parseCPUList(defaultCPUList())
	require.NoError(t, err)
	require.NotEmpty(t, procs)
	assert.Equal(t, 1, procs[0], "starts at 1")
	for i := 1; i < len(procs)-1; i++ {
		assert.Equal(t, 2*procs[i-1], procs[i], "doubles")
	}
}

func TestProfileJudgesWaitsByTheirCriticalPath(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := conclab(t, "profile", "-quiet", "-scenario", "gather", "-cpu", "1", "-work", "0.01", "-out", out)
	require.Equal(t, 0, code, stderr)
	assert.Regexp(t, `(?m)^gather\s+1\s+\S+\s+\d+\.\d\d×\s`, stdout, "a scenario that waits shows wall ÷ critical path")
	chart, err := os.ReadFile(filepath.Join(out, "speedup-gather.svg"))
	require.NoError(t, err)
	assert.Contains(t, string(chart), "wall ÷ critical path vs GOMAXPROCS")
}
