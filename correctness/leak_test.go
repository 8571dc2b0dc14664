package correctness

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// goleak is conclab's detector for Fault Leak. goleak.VerifyTestMain guards
// this package (and every test package of the module); the tests here prove
// that goleak.Find would have named a leaked goroutine.

// blockedForever is the leak: a goroutine waiting on a channel that no one
// will ever send on, as a worker does when its consumer has gone away. The
// test holds the only way to release it, so that it does not outlive the
// test.
func blockedForever(never <-chan struct{}) {
	<-never
}

// TestGoleakFindsBlockedGoroutine is goleak's negative control on a tiny,
// self-contained leak.
func TestGoleakFindsBlockedGoroutine(t *testing.T) {
	before := goleak.IgnoreCurrent()
	release := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() { blockedForever(release) })

	err := goleak.Find(before)
	close(release)
	wg.Wait()

	require.Error(t, err, "goleak reports the blocked goroutine")
	assert.Contains(t, err.Error(), "correctness.blockedForever", "the report names the leaked function")
	assert.NoError(t, goleak.Find(before), "nothing left once the goroutine is released")
}
