package hunt

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/internal/hunt/instrument"
)

// TestPathsIntoModuleCopies: a finding on a module-cache package names the
// module cache, not hunt's temporary copy of the module.
func TestPathsIntoModuleCopies(t *testing.T) {
	work := t.TempDir()
	copyDir := filepath.Join(work, "pkg3", "mod", "1")
	require.NoError(t, os.MkdirAll(copyDir, 0o755))
	orig := "/home/u/go/pkg/mod/golang.org/x/sync@v0.10.0"
	require.NoError(t, os.WriteFile(filepath.Join(copyDir, instrument.OriginFile), []byte(orig), 0o644))
	m := newPathMapper(work)
	f := &Finding{
		Message: "goroutine 7 [chan send] at " + copyDir + "/errgroup/errgroup.go:42",
		Stacks:  []string{"goroutine 7 [chan send]:\ngolang.org/x/sync/errgroup.(*Group).Go(...)\n\t" + copyDir + "/errgroup/errgroup.go:42\n\t" + filepath.Join(work, "pkg4", "mod", "2") + "/x.go:1"},
	}
	m.fixFinding(f)
	assert.Equal(t, "goroutine 7 [chan send] at "+orig+"/errgroup/errgroup.go:42", f.Message)
	assert.Contains(t, f.Stacks[0], "\t"+orig+"/errgroup/errgroup.go:42")
	assert.Contains(t, f.Stacks[0], filepath.Join(work, "pkg4", "mod", "2")+"/x.go:1", "a copy without its origin file is left as it is")
}
