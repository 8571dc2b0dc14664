//go:build unix

package gotool_test

import (
	"bufio"
	"context"
	"io"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/internal/gotool"
)

// TestCancelKillsTheChildAndAllItStarted: a child that starts a process of
// its own and waits is cancelled; the pipe both hold reaches its end only
// when neither is left.
func TestCancelKillsTheChildAndAllItStarted(t *testing.T) {
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	cmd := gotool.Command(ctx, "", "sh", "-c", "sleep 600 & echo started; wait")
	cmd.Stdout = w
	require.NoError(t, cmd.Start())
	w.Close()
	line, err := bufio.NewReader(r).ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, "started\n", line)

	cancel()
	assert.Error(t, cmd.Wait(), "killed")
	eof := make(chan error, 1)
	go func() {
		_, err := io.Copy(io.Discard, r)
		eof <- err
	}()
	const limit = 30 * time.Second // a group killed whole closes the pipe at once
	select {
	case err := <-eof:
		assert.NoError(t, err, "the pipe reached its end: no process of the group holds it")
	case <-time.After(limit):
		t.Fatalf("the grandchild still holds the pipe %v after the cancel: it was not killed", limit)
	}
}
