package watch

import (
	"testing"
	"time"
)

func TestProgressInterval(t *testing.T) {
	s := Serve(3 * time.Second)
	if d := s.Interval(); d != 3*time.Second {
		t.Errorf("interval = %v, want 3s", d)
	}
}
