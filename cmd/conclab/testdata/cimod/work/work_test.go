package work

import (
	"os"
	"testing"
)

var sink uint64

func synthetic(b *testing.B, ns float64) {
	if os.Getenv("CIMOD_SYNTHETIC") != "" {
		b.ReportMetric(ns, "ns/op")
	}
}

func BenchmarkChecksum(b *testing.B) {
	data := make([]byte, 1024)
	for i := range data {
		data[i] = byte(i)
	}
	for b.Loop() {
		sink += Checksum(data, Rounds)
	}
	synthetic(b, 1000*Rounds)
}

func BenchmarkSum(b *testing.B) {
	xs := make([]int, 50_000)
	for i := range xs {
		xs[i] = i
	}
	for b.Loop() {
		sink += uint64(Sum(xs))
	}
	synthetic(b, 50_000)
}

func TestChecksum(t *testing.T) {
	if Checksum([]byte{1}, 1) == Checksum([]byte{2}, 1) {
		t.Fatal("different data, same checksum")
	}
}
