// Package broken has a benchmark that panics at GOMAXPROCS 2 only, beside
// one that works: scale must report the first and keep the second.
package broken

import (
	"runtime"
	"testing"
)

var sink int

func BenchmarkPanicsAtTwo(b *testing.B) {
	if runtime.GOMAXPROCS(0) == 2 {
		panic("broken at two")
	}
	for b.Loop() {
		sink++
	}
}

func BenchmarkFine(b *testing.B) {
	for b.Loop() {
		sink++
	}
}
