package gate

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"go.uber.org/goleak"

	decide "github.com/conclab/conclab/perf/gate"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestResultWrite: the last line and the status of each outcome; the
// commands themselves run in cmd/conclab's TestCIDocumentedCommands.
func TestResultWrite(t *testing.T) {
	fail := decide.Finding{Name: "BenchmarkA", Pairs: 12, Ratio: 1.15, Lo: 1.1, Hi: 1.2, Verdict: decide.Fail, Why: "early stop"}
	pass := decide.Finding{Name: "BenchmarkB", Pairs: 8, Ratio: 1, Lo: 0.99, Hi: 1.01, Verdict: decide.Pass, Why: "early stop"}
	for _, tc := range []struct {
		name   string
		res    Result
		failed bool
		last   string
	}{
		{"a regression fails", Result{Outcome: decide.Outcome{Findings: []decide.Finding{fail, pass}}}, true, "gate: FAIL: 1 of 2 benchmarks slower"},
		{"no regression passes", Result{Outcome: decide.Outcome{Findings: []decide.Finding{pass}}}, false, "gate: ok: none of 1 benchmarks significantly slower"},
		{"too few rounds fails", Result{Outcome: decide.Outcome{Findings: []decide.Finding{pass}, Inconclusive: []string{"BenchmarkB"}}}, true, "gate: FAIL: inconclusive: 1 benchmarks got too few rounds"},
		{"nothing on both sides is skipped", Result{Skipped: "no benchmark on both sides", NewOnly: []string{"BenchmarkC: new side only"}}, false, "gate: SKIPPED: no benchmark on both sides"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.res.Rule = decide.DefaultRule
			var b strings.Builder
			assert.Equal(t, tc.failed, tc.res.Write(&b))
			lines := strings.Split(strings.TrimSpace(b.String()), "\n")
			assert.True(t, strings.HasPrefix(lines[len(lines)-1], tc.last), "last line %q", lines[len(lines)-1])
		})
	}
}
