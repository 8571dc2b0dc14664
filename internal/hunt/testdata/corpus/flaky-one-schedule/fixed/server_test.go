package warmup

import (
	"slices"
	"testing"
)

func TestRequestDuringWarmup(t *testing.T) {
	s := New()
	s.Start()
	<-s.Ready()
	s.Handle("a")
	if got, want := s.Log(), []string{"warmed", "handled a"}; !slices.Equal(got, want) {
		t.Errorf("log = %q, want %q", got, want)
	}
}
