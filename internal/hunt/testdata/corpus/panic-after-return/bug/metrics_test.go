package metrics

import "testing"

// TestNewWithoutSink makes a Metrics whose samples nobody reads.
func TestNewWithoutSink(t *testing.T) {
	if m := New(nil, 1<<20); m == nil {
		t.Fatal("New returned nil")
	}
}
