package shop

import (
	"runtime"
	"testing"
)

// BenchmarkCacheGet contends on the cache's one mutex.
func BenchmarkCacheGet(b *testing.B) {
	c := NewCache()
	b.RunParallel(func(pb *testing.PB) {
		var k, s uint64
		for pb.Next() {
			k++
			s += c.Get(k)
		}
		sink.Add(s)
	})
}

// BenchmarkBuildTree allocates a fresh pointer tree per op over a small
// heap: the collector runs every few operations, GC-bound.
func BenchmarkBuildTree(b *testing.B) {
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		var s uint64
		for pb.Next() {
			s += Tree(10).Sum()
		}
		sink.Add(s)
	})
}

// BenchmarkMerge has a serial fold after each parallel part.
func BenchmarkMerge(b *testing.B) {
	for b.Loop() {
		sink.Add(Merge(runtime.GOMAXPROCS(0), 20000))
	}
}

// BenchmarkHash scales: no shared state at all.
func BenchmarkHash(b *testing.B) {
	b.RunParallel(func(pb *testing.PB) {
		var s uint64
		for pb.Next() {
			s += Hash(s)
		}
		sink.Add(s)
	})
}
