package perf

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/internal/testscenario"
	"github.com/conclab/conclab/scenarios"
)

// BenchmarkScenarios and TestBenchConfigIsValidAndSmall iterate the
// registry: testscenario's registration alone gives them a test-wait case.
func TestANewScenarioIsBenchmarked(t *testing.T) {
	_, err := scenarios.Lookup(testscenario.Name)
	require.NoError(t, err, "the throwaway scenario is in this test binary's catalogue")
}
