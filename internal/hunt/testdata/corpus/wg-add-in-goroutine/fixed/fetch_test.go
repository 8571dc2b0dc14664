package fetch

import "testing"

func TestFetchAll(t *testing.T) {
	keys := []string{"a", "bb", "ccc", "dddd"}
	got := FetchAll(keys, func(k string) int { return len(k) })
	if len(got) != len(keys) {
		t.Errorf("FetchAll returned %d results, want %d", len(got), len(keys))
	}
}
