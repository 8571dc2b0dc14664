package cache

import "testing"

// TestSetGet never closes the cache: its janitor outlives the test.
func TestSetGet(t *testing.T) {
	c := New()
	c.Set("a", "b")
	if got := c.Get("a"); got != "b" {
		t.Errorf("Get(a) = %q, want b", got)
	}
}
