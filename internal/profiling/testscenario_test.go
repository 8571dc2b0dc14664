package profiling_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/internal/profiling"
	"github.com/conclab/conclab/internal/testscenario"
	"github.com/conclab/conclab/scenarios"
)

// A scenario nobody told the profiler or the report about is recorded,
// and reported with the claim it declares and a verdict on it.
func TestANewScenarioIsProfiledAndReported(t *testing.T) {
	s, err := scenarios.Lookup(testscenario.Name)
	require.NoError(t, err)
	out := t.TempDir()
	_, err = profiling.ProfileAll(t.Context(), profiling.Options{
		Dir: out, Scenarios: []*scenarios.Scenario{s}, Procs: []int{1, 2}, MinWall: 20 * time.Millisecond,
	})
	require.NoError(t, err)
	_, err = profiling.Report(out, out)
	require.NoError(t, err)
	b, err := os.ReadFile(filepath.Join(out, "report.md"))
	require.NoError(t, err)
	md := string(b)
	assert.Contains(t, md, "## test-wait")
	assert.Contains(t, md, "> The article: "+s.Claim.Article)
	assert.Regexp(t, `\| \[test-wait\]\(#test-wait\) \| IO \| .* \| (yes|no|inconclusive) \|`, md, "a verdict on its claim in the summary")
	assert.NotContains(t, md, "no claim")
}
