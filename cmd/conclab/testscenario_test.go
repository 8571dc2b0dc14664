package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/internal/gotool"
	"github.com/conclab/conclab/internal/testscenario"
)

// The command runs, lists and profiles a scenario it was never told about,
// and checks its flags against what the scenario declares it reads.
func TestANewScenarioIsRunListedAndProfiled(t *testing.T) {
	code, stdout, stderr := conclab(t, "run", testscenario.Name, "-items", "4", "-latency", "1ms")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "invariant: ok")

	code, _, stderr = conclab(t, "run", testscenario.Name, "-workers", "2")
	assert.Equal(t, 2, code)
	assert.Equal(t, "conclab run: -workers does not apply to test-wait, which reads only -items and -latency\n", stderr)

	code, stdout, _ = conclab(t, "list", "-v")
	assert.Equal(t, 0, code)
	assert.Contains(t, stdout, testscenario.Name)
	assert.Contains(t, stdout, "reads -items and -latency")

	out := t.TempDir()
	code, _, stderr = conclab(t, "profile", "-quiet", "-scenario", testscenario.Name, "-cpu", "1", "-work", "0.05", "-out", out)
	require.Equal(t, 0, code, stderr)
	assert.FileExists(t, filepath.Join(out, testscenario.Name, "run-1.json"))
}

// The throwaway is for tests only: the shipped binary does not import it.
func TestTheShippedBinaryHasNoTestScenario(t *testing.T) {
	deps, err := gotool.Go(t.Context(), "", "list", "-deps", ".").Output()
	require.NoError(t, err)
	assert.Contains(t, string(deps), "github.com/conclab/conclab/scenarios\n", "precondition: the list holds the catalogue")
	assert.False(t, strings.Contains(string(deps), "internal/testscenario"), "conclab does not import the throwaway scenario")
}
