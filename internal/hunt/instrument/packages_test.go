package instrument_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/internal/gotool"
	"github.com/conclab/conclab/internal/hunt/instrument"
)

// TestHuntPackages runs every test of the packages listed in
// CONCLAB_INSTRUMENT_PKGS (patterns, from the module root; module-cache
// packages allowed) once under the instrumentation: well-tested code must
// build, pass and report nothing. It is a false-positive sweep, skipped by
// default.
func TestHuntPackages(t *testing.T) {
	patterns := strings.Fields(os.Getenv("CONCLAB_INSTRUMENT_PKGS"))
	if len(patterns) == 0 {
		t.Skip("set CONCLAB_INSTRUMENT_PKGS to the packages to hunt")
	}
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	require.NoError(t, err)
	gomod, err := gotool.Env(t.Context(), "", "GOMOD")
	require.NoError(t, err)
	for _, p := range goList(t, root, patterns...) {
		if len(p.TestGoFiles)+len(p.XTestGoFiles) == 0 {
			continue
		}
		t.Run(p.ImportPath, func(t *testing.T) {
			t.Parallel()
			bin := buildHunted(t, t.TempDir(), root, p.ImportPath, instrument.Options{GoMod: gomod})
			r := runHunted(t, bin, p.Dir, ".*", "CONCLAB_HUNT_YIELD=0.1", "CONCLAB_HUNT_STALL=10s", "-test.short")
			assert.Zero(t, r.exit, r.output)
			assert.Empty(t, r.findings)
			for _, f := range r.findings {
				t.Logf("%s %s: %s\n%s", f.Kind, f.Test, f.Message, strings.Join(f.Stacks, "\n"))
			}
		})
	}
}
