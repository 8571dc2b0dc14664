package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"go.uber.org/goleak"

	"github.com/conclab/conclab/scenarios"
)

func TestMain(m *testing.M) {
	scenarios.ServeIfWorker()
	goleak.VerifyTestMain(m)
}

// conclab runs Main as the command line would and returns what it printed.
func conclab(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Main(t.Context(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestUsageErrorsAreOneLineAndExit2(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no command", nil, "Usage:"},
		{"unknown command", []string{"frobnicate"}, `conclab: unknown command "frobnicate"`},
		{"unknown scenario", []string{"run", "nope"}, `conclab run: unknown scenario "nope"`},
		{"close misspelling", []string{"run", "counter-mutx"}, `(did you mean "counter-mutex"?)`},
		{"missing scenario", []string{"run"}, "conclab run: missing scenario name"},
		{"zero workers", []string{"run", "counter-mutex", "-workers", "0"}, "conclab run: -workers 0: must be between 1 and 10000"},
		{"negative items", []string{"run", "counter-mutex", "-items", "-3"}, "conclab run: -items -3: must be between 1 and"},
		{"too many workers", []string{"run", "counter-mutex", "-workers", "1000000"}, "conclab run: -workers 1000000: must be between 1 and 10000"},
		{"malformed duration", []string{"run", "counter-mutex", "-latency", "xyz"}, `conclab run: invalid value "xyz" for flag -latency`},
		{"unknown flag", []string{"run", "counter-mutex", "-wrokers", "3"}, "conclab run: flag provided but not defined: -wrokers"},
		{"extra argument", []string{"run", "counter-mutex", "extra"}, `conclab run: unexpected argument "extra"`},
		{"bad cpu", []string{"run", "counter-mutex", "-cpu", "0"}, "conclab run: -cpu 0: must be between 1 and 1024"},
		{"bad backend", []string{"run", "download", "-backend", "ftp"}, `conclab run: -backend "ftp": must be "http" or "memory"`},
		{"list extra argument", []string{"list", "x"}, `conclab list: unexpected argument "x"`},
		{"processes past the machine", []string{"run", "process-pool", "-workers", "10000"}, "conclab run: -workers 10000: process-pool starts one process per worker (about 10 MiB each): at most"},
		{"goroutines past the memory", []string{"run", "gather", "-items", "67108864", "-latency", "1s"}, "conclab run: -items 67108864: gather would hold about 1025.0 GiB at once, over the"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := conclab(t, tc.args...)
			assert.Equal(t, 2, code, "usage errors exit 2")
			assert.Empty(t, stdout, "nothing on stdout")
			assert.Contains(t, stderr, tc.want)
			if tc.args != nil {
				assert.Equal(t, 1, strings.Count(stderr, "\n"), "one line on stderr: %q", stderr)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"run", "-h"}, {"list", "-h"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, stdout, stderr := conclab(t, args...)
			assert.Equal(t, 0, code)
			assert.Contains(t, stdout, "Usage")
			assert.Empty(t, stderr)
		})
	}
}

func TestListShowsTheCatalogue(t *testing.T) {
	code, stdout, _ := conclab(t, "list")
	assert.Equal(t, 0, code)
	for _, name := range scenarios.Names() {
		assert.Contains(t, stdout, name)
	}
	code, stdout, _ = conclab(t, "list", "-v")
	assert.Equal(t, 0, code)
	assert.Contains(t, stdout, "threading.Lock()", "-v shows the Python snippet")
}

func TestRunCounterMutexPrints50000(t *testing.T) {
	code, stdout, stderr := conclab(t, "run", "counter-mutex", "-cpu", "2")
	assert.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "50000")
	assert.Regexp(t, `(?m)^wall: \S+$`, stdout)
	assert.Contains(t, stdout, "\ninvariant: ok\n")
}

func TestRunSerialBaseline(t *testing.T) {
	code, stdout, stderr := conclab(t, "run", "-serial", "counter-atomic", "-workers", "3", "-items", "7")
	assert.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "21")
	assert.Contains(t, stdout, "invariant: ok")
}

func TestFailedInvariantExits1(t *testing.T) {
	wrong := &scenarios.Scenario{
		Name:     "always-wrong",
		Kind:     scenarios.Sync,
		Defaults: scenarios.Config{Workers: 1},
		Run: func(context.Context, scenarios.Config) (scenarios.Result, error) {
			return scenarios.Result{Summary: "42"}, nil
		},
		Check: func(scenarios.Config, scenarios.Result) error { return errors.New("the answer is not 42") },
	}
	lookupScenario = func(string) (*scenarios.Scenario, error) { return wrong, nil }
	t.Cleanup(func() { lookupScenario = scenarios.Lookup })

	code, stdout, stderr := conclab(t, "run", "always-wrong")
	assert.Equal(t, 1, code, "a failed invariant exits 1")
	assert.Contains(t, stdout, "\ninvariant: FAILED: the answer is not 42\n")
	assert.Equal(t, "conclab run: always-wrong: invariant failed: the answer is not 42\n", stderr)
}

func TestRunInterruptedExits130(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel() // as Ctrl-C does through signal.NotifyContext
	var stdout, stderr bytes.Buffer
	code := Main(ctx, []string{"run", "counter-mutex"}, &stdout, &stderr)
	assert.Equal(t, 130, code, "Ctrl-C exits 130, as profile does")
	// The elapsed time is whatever a loaded machine took to notice: "0s", "1ms".
	assert.Regexp(t, `^conclab run: counter-mutex: interrupted after [0-9.]+[µm]?s\n$`, stderr.String())

	code, _, stderr2 := conclab(t, "run", "gather", "-timeout", "1ns")
	assert.Equal(t, 1, code, "a -timeout is a failure, not an interruption: %s", stderr2)
}

func TestUsageNamesEveryDirOfReport(t *testing.T) {
	_, stdout, _ := conclab(t, "-h")
	assert.Regexp(t, `conclab report\s+\[flags\] DIR\.\.\.`, stdout)
}
