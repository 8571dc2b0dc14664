package check

import (
	"errors"
	"testing"
)

func TestCheckAllFails(t *testing.T) {
	bad := errors.New("bad")
	fail := func() error { return bad }
	if err := CheckAll([]func() error{fail, fail, fail}); !errors.Is(err, bad) {
		t.Errorf("CheckAll = %v, want %v", err, bad)
	}
}
