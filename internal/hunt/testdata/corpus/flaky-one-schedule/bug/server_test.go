package warmup

import (
	"slices"
	"testing"
)

func TestRequestDuringWarmup(t *testing.T) {
	s := New()
	s.Start()
	s.Handle("a")
	<-s.Ready()
	// bug: assumes the warm-up goroutine runs after Handle
	if got, want := s.Log(), []string{"handled a", "warmed"}; !slices.Equal(got, want) {
		t.Errorf("log = %q, want %q", got, want)
	}
}
