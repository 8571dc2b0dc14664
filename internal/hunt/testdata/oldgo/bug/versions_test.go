package versions

import "testing"

func TestAPIVersions(t *testing.T) {
	got := APIVersions()
	if len(got) != 5 {
		t.Fatalf("APIVersions = %q, want 5 versions", got)
	}
}
