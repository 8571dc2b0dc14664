package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"go.uber.org/goleak"

	"github.com/conclab/conclab/scenarios"
)

func TestMain(m *testing.M) {
	scenarios.ServeIfWorker()
	goleak.VerifyTestMain(m)
}

func TestExitStatus(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"equal/passes", []string{"../../testdata/equal.csv"}, 0, "bench-gate: ok"},
		{"slower/fails", []string{"../../testdata/slower.csv"}, 1, "bench-gate: FAIL"},
		{"slower/passes-threshold=25", []string{"-threshold", "25", "../../testdata/slower.csv"}, 0, "bench-gate: ok"},
		{"noisy/passes", []string{"../../testdata/noisy.csv"}, 0, "0 of 5 differences significant"},
		{"negative-threshold/usage", []string{"-threshold", "-1", "../../testdata/equal.csv"}, 2, ""},
		{"two-files/usage", []string{"a.csv", "b.csv"}, 2, ""},
		{"missing-file/usage", []string{"testdata/nothing.csv"}, 2, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tc.args, &bytes.Buffer{}, &stdout, &stderr)
			assert.Equal(t, tc.code, code, "stdout: %s\nstderr: %s", stdout.String(), stderr.String())
			assert.Contains(t, stdout.String(), tc.out)
			if tc.code == 2 {
				assert.Contains(t, stderr.String(), "bench-gate")
			}
		})
	}
}
