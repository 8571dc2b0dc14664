package cache

import (
	"testing"
	"time"
)

func TestSetAndClose(t *testing.T) {
	c := New(time.Hour)
	defer c.Close()
	c.Set("a", time.Minute)
	if n := c.Len(); n != 1 {
		t.Errorf("Len = %d, want 1", n)
	}
}
