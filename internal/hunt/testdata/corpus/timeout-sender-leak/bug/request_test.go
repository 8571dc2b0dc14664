package request

import (
	"errors"
	"testing"
	"time"
)

// TestFinishRequestTimeout lets the handler finish only after the request
// timed out.
func TestFinishRequestTimeout(t *testing.T) {
	release := make(chan struct{})
	_, err := FinishRequest(time.Millisecond, func() (string, error) {
		<-release
		return "late", nil
	})
	close(release)
	if !errors.Is(err, ErrTimeout) {
		t.Errorf("FinishRequest = %v, want ErrTimeout", err)
	}
}
