package racy

import "testing"

func TestHits(t *testing.T) {
	if got := Hits(8); got > 8 {
		t.Fatalf("Hits(8) = %d", got)
	}
}
