package hunt

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestInterruptStopsEveryChild cancels a hunt (as Ctrl-C does) at its first
// finding while another test's child is blocked forever: with a stall
// deadline of an hour, only killing that child lets Hunt return.
func TestInterruptStopsEveryChild(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	sum, err := Hunt(ctx, Config{
		Dir: "testdata/hangmod", Patterns: []string{"./p"}, Parallel: 2, Stall: time.Hour,
		Found: func(Finding) { cancel() },
	})
	require.NoError(t, err)
	assert.True(t, sum.Interrupted, "the hunt says it stopped early")
	assert.Equal(t, 1, sum.Findings)
	for _, r := range sum.Tests {
		if r.Test == "TestRace" && assert.NotNil(t, r.Finding) {
			assert.Equal(t, KindRace, r.Finding.Kind)
		}
		if r.Test == "TestBlockForever" {
			assert.Nil(t, r.Finding, "a killed run is no finding")
			assert.Zero(t, r.Runs, "and no run either")
		}
	}
}
