package instrument

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/conclab/conclab/internal/gotool"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestIncompatibleModuleCopy: a dependency from before modules (its version
// +incompatible, no go.mod) is copied with the go.mod the go command assumes
// for it, so that the -modfile's replacement by the copy builds.
func TestIncompatibleModuleCopy(t *testing.T) {
	cache := t.TempDir()
	modDir := filepath.Join(cache, "example.com", "old@v2.0.0+incompatible")
	require.NoError(t, os.MkdirAll(modDir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(modDir, "old.go"), []byte("package old\n"), 0o644))
	main := filepath.Join(t.TempDir(), "go.mod")
	require.NoError(t, os.WriteFile(main, []byte("module example.com/m\n\ngo 1.22\n"), 0o644))

	w := &writer{work: t.TempDir(), opts: Options{GoMod: main}, cache: cache, replace: map[string]string{}, modules: map[string]string{}}
	p := &Package{ImportPath: "example.com/old", Dir: modDir, Name: "old", GoFiles: []string{"old.go"},
		Module: &gotool.Module{Path: "example.com/old", Dir: modDir}}
	require.NoError(t, w.pkg(p))
	require.Len(t, w.copies, 1)
	data, err := os.ReadFile(filepath.Join(w.copies[0].dir, "go.mod"))
	require.NoError(t, err)
	assert.Equal(t, "module example.com/old\n\ngo 1.16\n", string(data))
	_, err = os.Stat(filepath.Join(modDir, "go.mod"))
	assert.True(t, os.IsNotExist(err), "the module cache is not written")
}
