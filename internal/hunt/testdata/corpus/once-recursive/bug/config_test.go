package config

import "testing"

func TestGetPort(t *testing.T) {
	var c Config
	if got := c.Get("port"); got != "8080" {
		t.Errorf("port = %q, want 8080", got)
	}
}
