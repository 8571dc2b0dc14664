package pprofkit_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/internal/pprofkit"
)

func TestWriteFileIsAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.md")
	require.NoError(t, os.WriteFile(path, []byte("the old report"), 0o644))

	err := pprofkit.WriteFile(path, func(w io.Writer) error {
		io.WriteString(w, "half a new rep")
		return errors.New("interrupted")
	})
	require.ErrorContains(t, err, "interrupted")
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "the old report", string(b), "a failed write leaves the old file whole")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "and no temporary file behind")

	require.NoError(t, pprofkit.WriteFile(path, func(w io.Writer) error {
		_, err := io.WriteString(w, "the new report")
		return err
	}))
	b, err = os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "the new report", string(b))
}
