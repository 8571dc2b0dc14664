package browsertest

import "testing"

// TestInABrowser starts one browser, or skips where there is none, and
// checks each page in a tab of its own.
func TestInABrowser(t *testing.T) {
	b := startBrowser(t)
	for _, tc := range []struct {
		name string
		test func(*testing.T, *browser)
	}{
		{"flame graph from disk", testFlameGraph},
		{"differential flame graph from disk", testDiffFlameGraph},
		{"report with embedded flame graphs", testReport},
		{"scale report with differential flame graphs", testScaleReport},
		{"negative control: a throwing script is seen", testConsoleErrorsAreSeen},
		{"negative control: a missing flame graph is seen", testBrokenReportIsCaught},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.test(t, b) })
	}
}
