package correctness

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/internal/race"
	"github.com/conclab/conclab/scenarios"
)

// TestCatalogueDefaultsPassTheirInvariant runs every scenario and serial
// baseline with the defaults `conclab run NAME` uses, in a synctest bubble
// (where a hang is reported at once as a deadlock) unless it starts
// processes. CPU work is sized for a demo (about half a second on one
// core), so under the race detector, which slows it several times over,
// each item's work is cut to a fiftieth: the shape of the run (workers,
// items, latency) stays the default one.
func TestCatalogueDefaultsPassTheirInvariant(t *testing.T) {
	for _, s := range scenarios.All() {
		t.Run(s.Name, func(t *testing.T) {
			cfg := s.Defaults
			if race.Enabled || testing.Short() {
				cfg.Work /= 50
			}
			r := runScenario(t, s, s.Run, cfg, nil)
			require.NoError(t, r.err)
			assert.NoError(t, s.Check(cfg, r.res), "defaults must pass the invariant")
			if s.Serial != nil {
				r := runScenario(t, s, s.Serial, cfg, nil)
				require.NoError(t, r.err)
				assert.NoError(t, s.Check(cfg, r.res), "the serial baseline must pass the same invariant")
			}
		})
	}
}

// TestCatalogueIsWellFormed: names in kebab-case, the Python and the doc
// given, every broken variant found by LookupVariant under its scenario and
// kept out of the catalogue.
func TestCatalogueIsWellFormed(t *testing.T) {
	all := scenarios.All()
	require.NotEmpty(t, all)
	for _, s := range all {
		assert.Regexp(t, `^[a-z][a-z0-9]*(-[a-z0-9]+)*$`, s.Name, "names are kebab-case")
		assert.NotEmpty(t, s.Python, "%s names the Python it replaces", s.Name)
		assert.NotEmpty(t, s.Doc, "%s says what it does", s.Name)
		for _, v := range s.Broken {
			assert.NotContains(t, scenarios.Names(), v.Name, "broken variant %s is not in the catalogue", v.Name)
			got, owner, err := scenarios.LookupVariant(v.Name)
			require.NoError(t, err)
			assert.Equal(t, v.Name, got.Name)
			assert.Equal(t, s.Name, owner.Name)
		}
	}
}
