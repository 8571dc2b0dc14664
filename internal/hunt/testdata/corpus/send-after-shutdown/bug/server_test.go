package server

import (
	"errors"
	"testing"
)

// TestLateSubmit retries a request after the server was shut down.
func TestLateSubmit(t *testing.T) {
	s := New()
	if err := s.Submit(1); err != nil {
		t.Fatalf("Submit = %v", err)
	}
	s.Shutdown()
	if err := s.Submit(2); !errors.Is(err, ErrClosed) {
		t.Errorf("late Submit = %v, want ErrClosed", err)
	}
	if s.handled != 1 {
		t.Errorf("handled = %d, want 1", s.handled)
	}
}
