package racy

import "testing"

func TestHits(t *testing.T) {
	Hits(4)
}
