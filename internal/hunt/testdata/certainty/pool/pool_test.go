package pool

import (
	"testing"
	"time"
)

func TestNeverClosed(t *testing.T) {
	p := New()
	p.Submit(func() {})
}

func TestClosed(t *testing.T) {
	p := New()
	defer p.Close()
	p.Submit(func() {})
}

func TestFetch(t *testing.T) {
	Fetch()
}

func TestElapsed(t *testing.T) {
	start := time.Now()
	Fetch()
	if time.Since(start) > time.Millisecond {
		t.Fatal("slow")
	}
}
