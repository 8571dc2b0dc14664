package cache

import (
	"errors"
	"testing"
)

func TestRefreshFailure(t *testing.T) {
	c := New()
	defer c.Close()
	gone := errors.New("gone")
	failed := make(chan struct{})
	err := c.Refresh([]string{"a", "b", "c", "d"}, func(k string) (int, error) {
		if k == "a" {
			close(failed)
			return 0, gone
		}
		<-failed // the others report after the failure
		return len(k), nil
	})
	if !errors.Is(err, gone) {
		t.Fatalf("Refresh = %v, want %v", err, gone)
	}
}
