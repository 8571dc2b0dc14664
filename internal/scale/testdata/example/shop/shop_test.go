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

// live keeps a large pointer-rich heap for every collection to mark.
var live []*node

// BenchmarkBuildTree allocates garbage trees over a live heap: GC-bound.
func BenchmarkBuildTree(b *testing.B) {
	if live == nil {
		for range 64 {
			live = append(live, Tree(14))
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var s uint64
		for pb.Next() {
			s += Tree(6).Sum()
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
