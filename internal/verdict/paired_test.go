package verdict

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// paired returns num, den of n pairs whose ratios are ratio·(1 ± spread),
// spread evenly, with den drifting by a factor of up to drift across the
// runs (the machine slowing down, say): a drift that cancels in each pair.
func paired(n int, ratio, spread, drift float64) (num, den []float64) {
	for i := range n {
		d := 1 + drift*float64(i)/float64(n)
		r := ratio * (1 + spread*(2*float64(i%5)/4-1))
		num = append(num, r*d)
		den = append(den, d)
	}
	return num, den
}

func TestJudgePaired(t *testing.T) {
	busy := Load{Other: 2 * time.Second, Wall: 2 * time.Second, Known: true}
	quietLoads := func(n int) []Load {
		l := make([]Load, n)
		for i := range l {
			l[i] = quiet
		}
		return l
	}
	someBusy := func(n, k int) []Load {
		l := quietLoads(n)
		for i := range k {
			l[2*i] = busy
		}
		return l
	}
	num9, den9 := paired(9, 1.2, 0.02, 0)
	allBusy := make([]Load, 9)
	for i := range allBusy {
		allBusy[i] = busy
	}
	for _, tc := range []struct {
		name     string
		claim    Claim
		num, den []float64
		gen      [3]float64 // ratio, spread, drift of paired(len(loads), …) when num is nil
		loads    []Load
		load     Load
		want     Outcome
		ratio    float64
		lo, hi   float64
		reason   string
	}{
		{name: "clear-yes", claim: speedup, gen: [3]float64{1.8, 0.02, 0}, loads: quietLoads(9), load: quiet,
			want: Yes, ratio: 1.8, lo: 1.75, hi: 1.85},
		{name: "clear-no", claim: speedup, gen: [3]float64{1.2, 0.02, 0}, loads: quietLoads(9), load: quiet,
			want: No, ratio: 1.2, lo: 1.17, hi: 1.23},
		{name: "straddles-the-threshold", claim: speedup, gen: [3]float64{1.5, 0.15, 0}, loads: quietLoads(9), load: quiet,
			want: Inconclusive, ratio: 1.483, lo: 1.35, hi: 1.61, reason: "straddles the threshold 1.5"},
		{name: "drift-cancels-in-each-pair", claim: speedup, gen: [3]float64{1.8, 0.02, 1}, loads: quietLoads(9), load: quiet,
			want: Yes, ratio: 1.8, lo: 1.75, hi: 1.85},
		{name: "loaded-machine-never-says-no", claim: speedup, num: num9, den: den9, load: busy,
			want: Inconclusive, ratio: 1.2, lo: 1.17, hi: 1.23, reason: "the machine was loaded: other programs kept 1.00 of"},
		{name: "every-pair-loaded-never-says-no", claim: speedup, gen: [3]float64{1.2, 0.02, 0}, loads: allBusy, load: busy,
			want: Inconclusive, reason: "the machine was loaded during 9 of 9 pairs"},
		// One pair taken during a burst: left out, and the burst, which
		// makes the load over all the runs busy, does not veto the rest.
		{name: "one-burst-left-out-does-not-veto", claim: speedup, gen: [3]float64{1.8, 0.02, 0}, loads: someBusy(9, 1),
			load: quiet.Add(busy).Add(busy), want: Yes, ratio: 1.8, lo: 1.75, hi: 1.85},
		{name: "two-busy-pairs-left-out", claim: speedup, gen: [3]float64{1.8, 0.02, 0}, loads: someBusy(9, 2), load: quiet,
			want: Yes, ratio: 1.8, lo: 1.75, hi: 1.85},
		{name: "four-busy-pairs-too-many", claim: speedup, gen: [3]float64{1.8, 0.02, 0}, loads: someBusy(9, 4), load: quiet,
			want: Inconclusive, reason: "the machine was loaded during 4 of 9 pairs: other programs kept 1.00 of"},
		{name: "five-pairs-too-few", claim: speedup, gen: [3]float64{1.8, 0.02, 0}, loads: quietLoads(5), load: quiet,
			want: Inconclusive, ratio: 1.8, lo: 0, hi: math.Inf(1), reason: "5 pairs are too few to bound the ratio (at least 6)"},
		{name: "below/constant-den", claim: Claim{Text: "waits overlap", Threshold: 2, Below: true},
			num: []float64{2.06, 2.05, 2.07, 2.06, 2.08, 2.05, 2.06}, den: []float64{2}, load: quiet,
			want: Yes, ratio: 1.03, lo: 1.025, hi: 1.035},
		{name: "unpaired-lengths", claim: speedup, num: []float64{1, 2, 3}, den: []float64{1, 2}, load: quiet,
			want: Inconclusive, reason: "3 samples cannot pair with 2"},
		{name: "no-measurement", claim: speedup, load: quiet,
			want: Inconclusive, reason: "no measurement"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			num, den := tc.num, tc.den
			if num == nil && tc.gen[0] != 0 {
				num, den = paired(len(tc.loads), tc.gen[0], tc.gen[1], tc.gen[2])
			}
			v := JudgePaired(tc.claim, num, den, tc.loads, tc.load)
			assert.Equal(t, tc.want, v.Outcome, v.String())
			assert.Contains(t, v.Reason, tc.reason)
			if tc.ratio != 0 {
				assert.InDelta(t, tc.ratio, v.Ratio, 0.01*tc.ratio, "ratio")
				assert.InDelta(t, tc.lo, v.Lo, 0.02*tc.ratio, "lo")
				if math.IsInf(tc.hi, 1) {
					assert.True(t, math.IsInf(v.Hi, 1), "hi %v", v.Hi)
				} else {
					assert.InDelta(t, tc.hi, v.Hi, 0.02*tc.ratio, "hi")
				}
			}
		})
	}
}

// The point of pairing: with the machine drifting slower across the runs,
// a ratio of medians cannot bound the speed-up, while the pairs' ratios,
// each taken moments apart, still do.
func TestPairingCancelsDrift(t *testing.T) {
	num, den := paired(9, 1.8, 0.02, 1)
	assert.Equal(t, Inconclusive, Judge(speedup, num, den, quiet).Outcome, "unpaired")
	assert.Equal(t, Yes, JudgePaired(speedup, num, den, nil, quiet).Outcome, "paired")
}
