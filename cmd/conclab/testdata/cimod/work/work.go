// Package work is the fixture's benchmarked code.
package work

// Rounds is the number of passes Checksum makes over its data.
const Rounds = 100

// Checksum hashes data rounds times over (FNV-1a, chained).
func Checksum(data []byte, rounds int) uint64 {
	h := uint64(14695981039346656037)
	for range rounds {
		for _, b := range data {
			h = (h ^ uint64(b)) * 1099511628211
		}
	}
	return h
}

// Sum adds the numbers.
func Sum(xs []int) int {
	s := 0
	for _, x := range xs {
		s += x
	}
	return s
}
