package gotool_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/internal/gotool"
)

func TestFirstLine(t *testing.T) {
	for _, tc := range []struct {
		name, out string
		err       error
		want      string
	}{
		{"compiler", "# example.com/p\np.go:3:2: undefined: x\np.go:4:2: undefined: y\n", nil, "p.go:3:2: undefined: x"},
		{"blank lines", "\n\n  go: no such tool  \n", nil, "go: no such tool"},
		{"nothing printed", "", errors.New("exit status 1"), "exit status 1"},
		{"nothing at all", "", nil, "failed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, gotool.FirstLine(tc.out, tc.err))
		})
	}
}

func TestLastLine(t *testing.T) {
	for _, tc := range []struct{ name, out, want string }{
		{"fail and its message", "=== RUN   TestX\n--- FAIL: TestX (0.00s)\n    x_test.go:9: wrong\nFAIL\n", "--- FAIL: TestX (0.00s) x_test.go:9: wrong"},
		{"panic", "=== RUN   TestX\npanic: boom\n\ngoroutine 7 [running]:\n", "panic: boom"},
		{"last line", "some log\nthe end\nFAIL\nexit status 2\n", "the end"},
		{"empty", "\n", "no output"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, gotool.LastLine(tc.out))
		})
	}
}

func TestBenchPattern(t *testing.T) {
	assert.Equal(t, `^BenchmarkGate$/^counter$/^rwmutex-read-mostly$`, gotool.BenchPattern("BenchmarkGate/counter/rwmutex-read-mostly"))
	assert.Equal(t, `^BenchmarkX$/^a=1\.5$`, gotool.BenchPattern("BenchmarkX/a=1.5"))
	assert.Equal(t, `^BenchmarkX$`, gotool.BenchPattern("BenchmarkX"))
	assert.Equal(t, `^BenchmarkX$/^size=8$/^a\.b\(c\)$`, gotool.BenchPattern("BenchmarkX/size=8/a.b(c)"))
}

func TestParseBenchDropsOnlyTheGOMAXPROCSSuffix(t *testing.T) {
	out := "goos: linux\n" +
		"BenchmarkX/size-1024-4 \t 100\t 12.5 ns/op\t 8 B/op\t 1 allocs/op\n" +
		"BenchmarkX/size-1024 \t some log line\n" +
		"BenchmarkY-4 \t 10\t 3 widgets/op\n" +
		"PASS\n"
	for _, tc := range []struct {
		name  string
		procs int
		want  []string
	}{
		{"procs=4", 4, []string{"BenchmarkX/size-1024", "BenchmarkY"}},
		{"procs=1", 1, []string{"BenchmarkX/size-1024-4", "BenchmarkY-4"}},
		{"procs unknown", 0, []string{"BenchmarkX/size-1024", "BenchmarkY"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rs, err := gotool.ParseBench([]byte(out), tc.procs)
			require.NoError(t, err)
			require.Len(t, rs, 2, "the log line is not a result")
			assert.Equal(t, tc.want, []string{rs[0].Name, rs[1].Name})
			assert.Equal(t, gotool.BenchResult{
				Name: tc.want[0], Iters: 100, NsPerOp: 12.5, HasTime: true, BytesPerOp: 8, AllocsPerOp: 1, HasMem: true,
				Line: "BenchmarkX/size-1024-4 \t 100\t 12.5 ns/op\t 8 B/op\t 1 allocs/op", LineNo: 2,
			}, rs[0])
			assert.False(t, rs[1].HasTime, "custom units only")
		})
	}
	rs, err := gotool.ParseBench([]byte("BenchmarkX/size-1024 \t 7\t 2 ns/op\n"), 0)
	require.NoError(t, err)
	assert.Equal(t, "BenchmarkX/size", rs[0].Name, "without the procs, a trailing -N reads as the suffix, as benchstat reads it")
}
