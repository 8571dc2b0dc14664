package cache

import "testing"

// TestSetGet closes the cache, which stops its janitor.
func TestSetGet(t *testing.T) {
	c := New()
	defer c.Close()
	c.Set("a", "b")
	if got := c.Get("a"); got != "b" {
		t.Errorf("Get(a) = %q, want b", got)
	}
}
