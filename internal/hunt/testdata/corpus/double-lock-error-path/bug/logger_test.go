package logging

import (
	"errors"
	"testing"
)

func TestOutputCreateError(t *testing.T) {
	diskFull := errors.New("disk full")
	l := New(func() error { return diskFull })
	if err := l.Output("hello"); !errors.Is(err, ErrExited) {
		t.Fatalf("Output = %v, want ErrExited", err)
	}
	if !errors.Is(l.exitErr, diskFull) {
		t.Errorf("exitErr = %v, want %v", l.exitErr, diskFull)
	}
}
