package scenarios

// Square is the article's compute_square: n*n.
func Square(n int64) int64 { return n * n }

// SquareNumbers is the article's square_numbers, the CPU-bound kernel: it
// squares every i in [lo, hi) and returns a checksum of the squares, so that
// the compiler cannot drop the work. Each square is passed through a 64-bit
// mixer (splitmix64's finaliser) before it is summed: the loop costs a few
// nanoseconds an iteration instead of a fraction of one, and since the sum
// wraps and is commutative, any split of [lo, hi) into parts gives the same
// checksum as the serial loop.
func SquareNumbers(lo, hi int) uint64 {
	var sum uint64
	for i := lo; i < hi; i++ {
		sum += mix(uint64(i) * uint64(i))
	}
	return sum
}

func mix(z uint64) uint64 {
	z ^= z >> 30
	z *= 0xbf58476d1ce4e5b9
	z ^= z >> 27
	z *= 0x94d049bb133111eb
	z ^= z >> 31
	return z
}

// Split divides [0, n) into parts contiguous ranges whose sizes differ by
// at most one, and calls f for each with its index and bounds. Empty ranges
// are skipped.
func Split(n, parts int, f func(part, lo, hi int)) {
	if parts < 1 {
		parts = 1
	}
	lo := 0
	for p := range parts {
		hi := lo + n/parts
		if p < n%parts {
			hi++
		}
		if hi > lo {
			f(p, lo, hi)
		}
		lo = hi
	}
}
