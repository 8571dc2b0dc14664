package ok

import "testing"

func TestDouble(t *testing.T) {
	if Double(2) != 4 {
		t.Fatal("Double(2) != 4")
	}
}

func TestFails(t *testing.T) {
	if testing.Short() {
		t.Fatal("told to fail")
	}
}

func BenchmarkDouble(b *testing.B) {
	for b.Loop() {
		Double(3)
	}
}
