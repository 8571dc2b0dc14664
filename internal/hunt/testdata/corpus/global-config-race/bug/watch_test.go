package watch

import (
	"testing"
	"time"
)

func TestProgressInterval(t *testing.T) {
	s := Serve()
	ProgressReportInterval = 3 * time.Second
	if d := s.Interval(); d <= 0 {
		t.Errorf("interval = %v, want > 0", d)
	}
}
