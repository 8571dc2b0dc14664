package hunt

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// leakStack is one leaked goroutine of testdata/certainty/pool as the
// injected runtime reports it under GODEBUG=tracebackancestors: state, its
// frame, its go statement at line goLine of pool.go, and the test's call at
// testLine of pool_test.go.
func leakStack(dir, state, fn string, line int, creator string, goLine int, test string, testLine int) string {
	return fmt.Sprintf(`goroutine 21 [%s]:
example.com/pool.%s(...)
	%s/pool.go:%d
created by example.com/pool.%s in goroutine 20
	%s/pool.go:%d
[originating from goroutine 20]:
example.com/pool.%s(...)
	%s/pool.go:%d
example.com/pool.%s(...)
	%s/pool_test.go:%d
testing.tRunner(...)
	/usr/local/go/src/testing/testing.go:2039
created by testing.(*T).Run
	/usr/local/go/src/testing/testing.go:2101
`, state, fn, dir, line, creator, dir, goLine, creator, dir, goLine, test, dir, testLine)
}

func TestCertainty(t *testing.T) {
	dir, err := filepath.Abs("testdata/certainty/pool")
	require.NoError(t, err)
	for _, tc := range []struct {
		name      string
		f         Finding
		certainty Certainty
		why       string
	}{
		{"a race is definite", Finding{Kind: KindRace, Test: "TestFetch"}, Definite,
			"the race detector saw the two accesses with nothing ordering them"},
		{"a hang is definite", Finding{Kind: KindDeadlock, Test: "TestFetch"}, Definite,
			"no goroutine of the test made progress"},
		{"a lock-order cycle is definite", Finding{Kind: KindLockOrder, Test: "TestFetch"}, Definite,
			"the lock graph has the cycle or the second Lock it names"},
		{"a panic is definite", Finding{Kind: KindPanic, Test: "TestElapsed"}, Definite, "the program panicked"},
		{"a pool the test never closes is releasable, even when unreachable",
			Finding{Kind: KindLeak, Test: "TestNeverClosed", Stacks: []string{leakStack(dir, "chan receive (leaked)", "(*Pool).work", 16, "New", 11, "TestNeverClosed", 9)}},
			Releasable, "goroutine 21 was started by pool.New, called at pool_test.go:9 in TestNeverClosed, whose result the test never releases (Close)"},
		{"a worker of a method call is releasable by the receiver's Close",
			Finding{Kind: KindLeak, Test: "TestNeverClosed", Stacks: []string{leakStack(dir, "chan receive", "(*Pool).work", 16, "(*Pool).Submit", 22, "TestNeverClosed", 10)}},
			Releasable, "goroutine 21 was started by pool.(*Pool).Submit, called at pool_test.go:10 in TestNeverClosed, whose result the test never releases (Close)"},
		{"a subtest's pool never closed is releasable though another subtest closes its own",
			Finding{Kind: KindLeak, Test: "TestSubtests", Stacks: []string{leakStack(dir, "chan receive (leaked)", "(*Pool).work", 16, "(*Pool).Submit", 22, "TestSubtests.func2", 38)}},
			Releasable, "goroutine 21 was started by pool.(*Pool).Submit, called at pool_test.go:38 in TestSubtests, whose result the test never releases (Close)"},
		{"a creator's frame at the line after its call (a return address) is read at the call",
			Finding{Kind: KindLeak, Test: "TestSubtests", Stacks: []string{leakStack(dir, "chan receive (leaked)", "(*Pool).work", 16, "(*Pool).Submit", 22, "TestSubtests.func2", 39)}},
			Releasable, "goroutine 21 was started by pool.(*Pool).Submit, called at pool_test.go:38 in TestSubtests, whose result the test never releases (Close)"},
		{"a pool the test closes around its subtests is released",
			Finding{Kind: KindLeak, Test: "TestShared", Stacks: []string{leakStack(dir, "chan receive (leaked)", "(*Pool).work", 16, "(*Pool).Submit", 22, "TestShared.func1", 46)}},
			Definite, "goroutine 21 waits (chan receive) on what no live goroutine can reach (goroutineleak profile): nothing can ever release it"},
		{"a pool the test closes, still blocked where nothing reaches, is definite",
			Finding{Kind: KindLeak, Test: "TestClosed", Stacks: []string{leakStack(dir, "chan receive (leaked)", "(*Pool).work", 16, "New", 11, "TestClosed", 14)}},
			Definite, "goroutine 21 waits (chan receive) on what no live goroutine can reach (goroutineleak profile): nothing can ever release it"},
		{"a sender nothing can reach is definite",
			Finding{Kind: KindLeak, Test: "TestFetch", Stacks: []string{leakStack(dir, "chan send (leaked)", "Fetch.func1", 31, "Fetch", 31, "TestFetch", 20)}},
			Definite, "goroutine 21 waits (chan send) on what no live goroutine can reach (goroutineleak profile): nothing can ever release it"},
		{"a leak unproven in a test that uses no time is likely",
			Finding{Kind: KindLeak, Test: "TestFetch", Stacks: []string{leakStack(dir, "chan send", "Fetch.func1", 31, "Fetch", 31, "TestFetch", 20)}},
			Likely, "its goroutines are still reachable, or the toolchain has no goroutineleak profile: hunt cannot prove nothing will release them"},
		{"a leak unproven in a test that uses time is timing-dependent",
			Finding{Kind: KindLeak, Test: "TestElapsed", Stacks: []string{leakStack(dir, "chan send", "Fetch.func1", 31, "Fetch", 31, "TestElapsed", 25)}},
			TimingDependent, "the test uses time.Now, time.Since, time.Millisecond (pool_test.go:24): its outcome depends on wall-clock or mock-clock margins"},
		{"a sleeping goroutine is timing-dependent",
			Finding{Kind: KindLeak, Test: "TestFetch", Stacks: []string{leakStack(dir, "sleep", "Fetch.func1", 31, "Fetch", 31, "TestFetch", 20)}},
			TimingDependent, "goroutine 21 sleeps: it may end by itself after the grace period"},
		{"a failure of a test that measures time is timing-dependent",
			Finding{Kind: KindFailure, Test: "TestElapsed", Message: "TestElapsed failed: pool_test.go:27: slow"}, TimingDependent,
			"the test uses time.Now, time.Since, time.Millisecond (pool_test.go:24): its outcome depends on wall-clock or mock-clock margins"},
		{"a failure of a subtest is read from its top-level test",
			Finding{Kind: KindFailure, Test: "TestElapsed/sub", Message: "TestElapsed/sub failed"}, TimingDependent,
			"the test uses time.Now, time.Since, time.Millisecond (pool_test.go:24): its outcome depends on wall-clock or mock-clock margins"},
		{"a failure that names a duration is timing-dependent",
			Finding{Kind: KindFailure, Test: "TestFetch", Message: "TestFetch failed: x_test.go:9: took 1.25ms, want at most 1ms"}, TimingDependent,
			`the failure names a duration or a timeout ("1.25ms"): it depends on a timing margin`},
		{"a failure that times out is timing-dependent",
			Finding{Kind: KindFailure, Test: "TestFetch", Message: "TestFetch failed: x_test.go:9: Timed out waiting"}, TimingDependent,
			`the failure names a duration or a timeout ("Timed out"): it depends on a timing margin`},
		{"any other failure is likely",
			Finding{Kind: KindFailure, Test: "TestFetch", Message: "TestFetch failed: x_test.go:9: got 2 conns, want 1"}, Likely,
			"the test failed under this schedule; hunt cannot tell the code's fault from the test's"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.f
			classify(&f, dir)
			assert.Equal(t, tc.certainty, f.Certainty)
			assert.Equal(t, tc.why, f.Why)
		})
	}
}

// labelled is a summary of one finding of each certainty.
func labelled() *Summary {
	var fs []*Finding
	for i, c := range Certainties {
		fs = append(fs, &Finding{
			Type: "finding", Kind: KindLeak, Package: "example.com/p", Test: fmt.Sprintf("Test%d", i), Message: "1 goroutine(s) started by the test still running",
			Seed: 1, GOMAXPROCS: 2, Run: 1, Certainty: c, Why: "because " + string(c), Replay: "conclab hunt ./p",
		})
	}
	return summaryOf(fs...)
}

func TestCertaintyInEveryFormat(t *testing.T) {
	s := labelled()
	var text bytes.Buffer
	require.NoError(t, s.WriteText(&text))
	var md, html bytes.Buffer
	require.NoError(t, s.WriteMarkdown(&md))
	require.NoError(t, s.WriteHTML(&html))
	data, err := json.Marshal(s)
	require.NoError(t, err)
	sarifData, err := MarshalSARIF(s.SARIF(SARIFOptions{}))
	require.NoError(t, err)
	var log struct {
		Runs []struct {
			Results []struct {
				Level      string         `json:"level"`
				Properties map[string]any `json:"properties"`
			} `json:"results"`
		} `json:"runs"`
	}
	require.NoError(t, json.Unmarshal(sarifData, &log))
	require.Len(t, log.Runs, 1)
	require.Len(t, log.Runs[0].Results, len(Certainties))
	levels := map[Certainty]string{Definite: "error", Releasable: "warning", TimingDependent: "warning", Likely: "error"}
	for i, c := range Certainties {
		t.Run(string(c), func(t *testing.T) {
			test := fmt.Sprintf("Test%d", i)
			assert.Contains(t, text.String(), fmt.Sprintf("FOUND example.com/p %s  leak (%s) in run 1", test, c))
			assert.Contains(t, text.String(), fmt.Sprintf("--- leak (%s): example.com/p %s (run 1", c, test))
			assert.Contains(t, text.String(), fmt.Sprintf("\ncertainty: %s: because %s\n", c, c))
			assert.Contains(t, md.String(), fmt.Sprintf("| example.com/p | %s | **leak** (%s) | 1 | 1 | 2 |", test, c))
			assert.Contains(t, md.String(), fmt.Sprintf("### leak (%s): %s\n\n1 goroutine(s) started by the test still running\n\nCertainty: **%s**: because %s.\n", c, test, c, c))
			assert.Contains(t, html.String(), fmt.Sprintf(`<td class="found">leak <span class="certainty">(%s)</span></td>`, c))
			assert.Contains(t, html.String(), fmt.Sprintf("<p>Certainty: <strong>%s</strong>: because %s</p>", c, c))
			assert.Contains(t, string(data), fmt.Sprintf(`"certainty":%q,"why":"because %s"`, c, c))
			r := log.Runs[0].Results[i]
			assert.Equal(t, levels[c], r.Level)
			assert.Equal(t, string(c), r.Properties["certainty"])
			assert.Equal(t, "because "+string(c), r.Properties["certaintyReason"])
		})
	}
}

// TestCertaintiesDocumented holds docs/detectors.md's table of certainties
// to Certainties, row for row.
func TestCertaintiesDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/detectors.md")
	require.NoError(t, err)
	var documented []Certainty
	for _, m := range regexp.MustCompile(`(?m)^\| \*([a-z-]+)\* \|`).FindAllSubmatch(doc, -1) {
		documented = append(documented, Certainty(m[1]))
	}
	assert.Equal(t, Certainties, documented)
}
