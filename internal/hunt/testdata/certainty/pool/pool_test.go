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

func TestSubtests(t *testing.T) {
	t.Run("closed", func(t *testing.T) {
		p := New()
		p.Close()
	})
	t.Run("never closed", func(t *testing.T) {
		p := New()
		p.Submit(func() {})
	})
}

func TestShared(t *testing.T) {
	p := New()
	defer p.Close()
	t.Run("submit", func(t *testing.T) {
		p.Submit(func() {})
	})
}
