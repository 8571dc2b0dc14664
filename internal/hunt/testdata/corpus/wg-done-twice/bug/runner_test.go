package runner

import (
	"errors"
	"testing"
)

func TestRunAllOneFails(t *testing.T) {
	ok := func() error { return nil }
	fail := func() error { return errors.New("boom") }
	if n := RunAll([]func() error{ok, fail, ok}); n != 1 {
		t.Errorf("failed = %d, want 1", n)
	}
}
