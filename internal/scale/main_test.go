package scale

import (
	"os"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(removeLive{m})
}

// removeLive deletes the live run's output once every test has run.
type removeLive struct{ m *testing.M }

func (r removeLive) Run() int {
	code := r.m.Run()
	if live.out != "" {
		os.RemoveAll(live.out)
	}
	return code
}
