package pprofkit

// MinFlameSamples is the fewest CPU samples from which a flame graph is
// drawn, or a report names a top function: below it, one sample would read
// as "100 %" or as a full-width tower. It is not scale.MinSamples (50), the
// fewest from which scale quotes a share of the CPU as a cause: a share
// that names a verdict needs more samples than a picture.
const MinFlameSamples = 10

// SecondsIn expresses s seconds in the largest unit of s, ms, µs and ns
// that keeps the value at 1 or more (ns for anything smaller, s for 0):
// 0.0042 is 4.2 ms. The reports of profile and scale print with it.
func SecondsIn(s float64) (float64, string) {
	switch {
	case s == 0:
		return 0, "s"
	case s >= 1:
		return s, "s"
	case s >= 1e-3:
		return s * 1e3, "ms"
	case s >= 1e-6:
		return s * 1e6, "µs"
	}
	return s * 1e9, "ns"
}
