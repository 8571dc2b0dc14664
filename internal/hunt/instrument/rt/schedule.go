package rt

import "time"

// The perturbation of a run is a pure function of its seed: whether the
// n-th visit of a yield site in the run yields depends on the seed, the site
// and n alone, never on a shared random stream that goroutines consume in
// whatever order the Go scheduler runs them, so that a replay with the
// finding's seed makes the same decisions wherever its goroutines reach the
// sites in the same order. What the seed cannot pin is the Go scheduler
// itself: with GOMAXPROCS above one, or when a yield sleeps, the goroutines
// may still reach a site in another order.

// siteHash is the seed's hash of a yield site.
func siteHash(seed uint64, site uint32) uint64 {
	return mix(seed ^ uint64(site)*0x9e3779b97f4a7c15)
}

// yieldAt reports whether the visit-th visit (from 1) of site yields in the
// run of seed. Each site's probability is uniform on [0, 2p), so that the
// runs of a test have some sites that nearly always yield and some that
// nearly never do, p on average.
func yieldAt(seed uint64, site uint32, visit uint64, p float64) bool {
	if p <= 0 {
		return false
	}
	h := siteHash(seed, site)
	prob := 2 * p * float64(h>>11) / (1 << 53)
	draw := mix(h ^ visit*0xd6e8feb86659fd93)
	return float64(draw>>11)/(1<<53) < prob
}

// pauseAt returns how a yield at site pauses in the run of seed: zero for
// runtime.Gosched, else a sleep of 1 to 20 µs, 25 times longer in a slow
// goroutine (which always sleeps).
func pauseAt(seed uint64, site uint32, slow bool) time.Duration {
	h := siteHash(seed, site)
	if !slow && h&1 == 0 {
		return 0
	}
	d := time.Duration(1+(h>>1)%20) * time.Microsecond
	if slow {
		d *= 25
	}
	return d
}

// slowGoroutine reports whether, in the run of seed, the goroutine whose id
// is rel after the id of the test's own goroutine is one of the slow ones
// (one in four). Goroutine ids counted from the test's own are the same
// from run to run wherever the goroutines are started in the same order;
// absolute ids depend on which processor started them.
func slowGoroutine(seed uint64, rel int64) bool {
	return mix(seed^uint64(rel)*0xbf58476d1ce4e5b9)%4 == 0
}

// mix is SplitMix64's finaliser.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}
