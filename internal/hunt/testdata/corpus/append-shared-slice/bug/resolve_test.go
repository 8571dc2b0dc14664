package resolve

import "testing"

func TestResolveAll(t *testing.T) {
	names := []string{"a", "b", "c", "d", "e", "f", "g", "h"}
	got := ResolveAll(names, func(n string) string { return n + ".example" })
	if len(got) != len(names) {
		t.Errorf("ResolveAll returned %d addresses, want %d", len(got), len(names))
	}
}
