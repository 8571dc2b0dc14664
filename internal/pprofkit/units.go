package pprofkit

// MinSamples is the fewest CPU samples from which the report names a top
// function or draws a flame graph: below it, one sample would read as
// "100 %" or as a full-width tower.
const MinSamples = 10

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
