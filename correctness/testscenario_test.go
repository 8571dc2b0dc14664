package correctness

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/internal/testscenario"
	"github.com/conclab/conclab/scenarios"
)

// The correctness suite runs a scenario it was never told about: every
// table here iterates the registry and reads the facts the scenario
// declares (its Timing, Reads, Processes, NewCounter), so testscenario's
// registration alone puts test-wait under TestInvariants,
// TestSerialBaselines, TestCancelBeforeStart, TestCancelMidway,
// TestTimingClaims and TestChecksRejectEmptyResult (see their test-wait
// subtests in `go test -v`).
func TestANewScenarioNeedsNoOtherEdit(t *testing.T) {
	_, err := scenarios.Lookup(testscenario.Name)
	require.NoError(t, err, "the throwaway scenario is in this test binary's catalogue")
}
