package flusher

import "testing"

func TestStartEmpty(t *testing.T) {
	f := &Flusher{}
	f.Start(3)
}
