package rt

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestYieldAtIsAFunctionOfSeedSiteAndVisit: the decisions of a run are the
// same every time they are asked for, in any order, and another seed makes
// other ones.
func TestYieldAtIsAFunctionOfSeedSiteAndVisit(t *testing.T) {
	decisions := func(seed uint64, reverse bool) string {
		b := make([]byte, 0, 64*32)
		for i := range 64 * 32 {
			if reverse {
				i = 64*32 - 1 - i
			}
			site, visit := uint32(i/32)*2654435761, uint64(i%32+1)
			if yieldAt(seed, site, visit, 0.4) {
				b = append(b, '1')
			} else {
				b = append(b, '0')
			}
		}
		if reverse {
			for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
				b[i], b[j] = b[j], b[i]
			}
		}
		return string(b)
	}
	a := decisions(42, false)
	assert.Equal(t, a, decisions(42, false), "same seed, same decisions")
	assert.Equal(t, a, decisions(42, true), "the order of the questions does not matter")
	assert.NotEqual(t, a, decisions(43, false), "another seed, other decisions")
}

// TestYieldAtProbability: over many sites and visits a run yields at about
// the probability asked for, never at 0, and the sites differ.
func TestYieldAtProbability(t *testing.T) {
	for _, p := range []float64{0, 0.15, 0.4, 0.8} {
		t.Run(fmt.Sprint(p), func(t *testing.T) {
			const sites, visitsPer = 500, 200
			yields, always, never := 0, 0, 0
			for s := range uint32(sites) {
				n := 0
				for v := range uint64(visitsPer) {
					if yieldAt(7, s*2246822519, v+1, p) {
						n++
					}
				}
				yields += n
				switch n {
				case 0:
					never++
				case visitsPer:
					always++
				}
			}
			want := p // a site's probability is uniform on [0, 2p), capped at 1
			if p > 0.5 {
				want = 1 - 1/(4*p)
			}
			assert.InDelta(t, want, float64(yields)/(sites*visitsPer), 0.05, "share of visits that yield")
			if p == 0 {
				assert.Zero(t, yields)
				return
			}
			if p <= 0.5 {
				assert.Less(t, never+always, sites/4, "most sites sometimes yield and sometimes do not")
			}
		})
	}
}

// TestPauseAt: a slow goroutine always sleeps, 25 to 500 µs; another
// sleeps 1 to 20 µs or calls Gosched (zero).
func TestPauseAt(t *testing.T) {
	gosched := 0
	for s := range uint32(1000) {
		site := s * 2654435761
		d := pauseAt(3, site, false)
		if d == 0 {
			gosched++
		} else {
			assert.True(t, d >= time.Microsecond && d <= 20*time.Microsecond, "site %d: %v", site, d)
		}
		slow := pauseAt(3, site, true)
		assert.True(t, slow >= 25*time.Microsecond && slow <= 500*time.Microsecond, "slow, site %d: %v", site, slow)
		assert.Equal(t, slow, pauseAt(3, site, true), "same seed and site, same pause")
	}
	assert.InDelta(t, 500, gosched, 75, "about half the sites Gosched")
}

// TestSlowGoroutine: about one goroutine in four is slow, and which ones
// depends on the seed.
func TestSlowGoroutine(t *testing.T) {
	slow, same := 0, 0
	for rel := range int64(2000) {
		a := slowGoroutine(11, rel)
		if a {
			slow++
		}
		if a == slowGoroutine(12, rel) {
			same++
		}
		assert.Equal(t, a, slowGoroutine(11, rel))
	}
	assert.InDelta(t, 500, slow, 75)
	assert.Less(t, same, 1900, "another seed chooses other goroutines")
}
