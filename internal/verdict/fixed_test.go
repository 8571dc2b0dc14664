package verdict

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// nine returns x times nine factors within ±1%, one a rep, rotated by
// shift so that two sides' runs of a rep differ.
func nine(x float64, shift int) []float64 {
	jitter := []float64{1, 1.01, 0.99, 1.005, 0.995, 1.0025, 0.9975, 1.0075, 0.9925}
	out := make([]float64, len(jitter))
	for i := range out {
		out[i] = x * jitter[(i+shift)%len(jitter)]
	}
	return out
}

func TestJudgeFixed(t *testing.T) {
	overlap := Claim{Text: "threads overlap the waits (wall ≤ 2 latencies)", Threshold: 2, Below: true, Unit: " latencies"}
	tight := Claim{Text: "the waits cost nothing (wall ≤ 1.05 latencies)", Threshold: 1.05, Below: true, Unit: " latencies"}
	atLeast := Claim{Text: "the run waits at least one latency", Threshold: 1, Unit: " latencies"}
	gain := Claim{Text: "processes do", Threshold: 1.33, Unit: "×"}
	latency := []float64{2}
	busy := Load{Other: 2 * time.Second, Wall: 2 * time.Second, Known: true}
	for _, tc := range []struct {
		name               string
		claim              Claim
		how                Fixed
		num, den           []float64
		numFixed, denFixed []float64
		load               Load
		want               Outcome
		reason             string
	}{
		// The case: fixed costs 8 % of the wall time, far more
		// than the old 5 % guard allowed, and the wall time with them is
		// still far below the bound: nothing they do can undo the yes.
		{name: "upper-bound/met-with-fixed-costs-included/yes", claim: overlap, how: FixedInBound,
			num: nine(2.14, 0), den: latency, numFixed: nine(0.17, 3), load: quiet, want: Yes},
		{name: "upper-bound/met-with-fixed-costs-as-long-as-the-run/yes", claim: overlap, how: FixedInBound,
			num: nine(2.14, 0), den: latency, numFixed: nine(2.14, 0), load: quiet, want: Yes},
		{name: "upper-bound/missed-but-met-without-them/inconclusive", claim: tight, how: FixedInBound,
			num: nine(2.2, 0), den: latency, numFixed: nine(0.2, 3), load: quiet, want: Inconclusive,
			reason: "fixed costs could change it (a bound on a time that contains its fixed costs): 1 latencies [0.993, 1.01] ≤ 1.05 without them"},
		{name: "upper-bound/missed-without-them-too/no", claim: tight, how: FixedInBound,
			num: nine(2.4, 0), den: latency, numFixed: nine(0.1, 3), load: quiet, want: No},
		{name: "lower-bound/missed-with-fixed-costs-included/no", claim: atLeast, how: FixedInBound,
			num: nine(1.6, 0), den: latency, numFixed: nine(1.6, 3), load: quiet, want: No},
		{name: "lower-bound/met-only-with-them/inconclusive", claim: atLeast, how: FixedInBound,
			num: nine(2.1, 0), den: latency, numFixed: nine(0.3, 3), load: quiet, want: Inconclusive,
			reason: "fixed costs could change it (a bound on a time that contains its fixed costs): 0.9 latencies ["},
		// Start-up 15 % and 20 % of the runs, yet 2× with it and 2.1×
		// without: both far above 1.33×.
		{name: "speed-up/large-fixed-share-on-one-side-of-the-threshold/yes", claim: gain, how: FixedInBoth,
			num: nine(2, 0), den: nine(1, 4), numFixed: nine(0.3, 1), denFixed: nine(0.2, 5), load: quiet, want: Yes},
		// 1.25× as measured (no), 1.96× once the n-worker run's 0.3 s of
		// start-up is taken out (yes): the fixed costs decide it.
		{name: "speed-up/fixed-share-moves-it-across-the-threshold/inconclusive", claim: gain, how: FixedInBoth,
			num: nine(1, 0), den: nine(0.8, 4), numFixed: nine(0.02, 1), denFixed: nine(0.3, 5), load: quiet, want: Inconclusive,
			reason: "fixed costs could change it (a ratio whose both sides carry fixed costs): 1.96× ["},
		// 1.4× as measured (yes), 1.02× without the 1-worker run's start-up
		// (no).
		{name: "speed-up/yes-only-thanks-to-start-up/inconclusive", claim: gain, how: FixedInBoth,
			num: nine(1.4, 0), den: nine(1, 4), numFixed: nine(0.4, 1), denFixed: nine(0.02, 5), load: quiet, want: Inconclusive,
			reason: "fixed costs could change it (a ratio whose both sides carry fixed costs): 1.02× ["},
		{name: "speed-up/no-with-and-without/no", claim: gain, how: FixedInBoth,
			num: nine(1, 0), den: nine(0.95, 4), numFixed: nine(0.01, 1), denFixed: nine(0.01, 5), load: quiet, want: No},
		{name: "speed-up/fixed-costs-as-long-as-a-run/inconclusive", claim: gain, how: FixedInBoth,
			num: nine(2, 0), den: nine(1, 4), numFixed: nine(0.3, 1), denFixed: nine(1.5, 5), load: quiet, want: Inconclusive,
			reason: "fixed costs are as long as a run: its work cannot be told from them"},
		{name: "speed-up/loaded-machine-never-says-no", claim: gain, how: FixedInBoth,
			num: nine(1, 0), den: nine(0.95, 4), numFixed: nine(0.01, 1), denFixed: nine(0.01, 5), load: busy, want: Inconclusive,
			reason: "the machine was loaded: other programs kept 1.00 of"},
		{name: "none/the-paired-verdict", claim: gain, how: FixedNone,
			num: nine(1.4, 0), den: nine(1, 4), load: quiet, want: Yes},
		{name: "speed-up/fixed-costs-missing/inconclusive", claim: gain, how: FixedInBoth,
			num: nine(1.4, 0), den: nine(1, 4), numFixed: nine(0.4, 1), load: quiet, want: Inconclusive,
			reason: "fixed costs of 9 and 0 runs cannot pair with 9 and 9"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := JudgeFixed(tc.claim, tc.how, tc.num, tc.den, tc.numFixed, tc.denFixed, nil, tc.load)
			assert.Equal(t, tc.want, v.Outcome, v.String())
			assert.Contains(t, v.Reason, tc.reason)
			if tc.reason == "" {
				assert.Empty(t, v.Reason)
			}
			paired := JudgePaired(tc.claim, tc.num, tc.den, nil, tc.load)
			assert.Equal(t, paired.Ratio, v.Ratio, "the ratio shown is the one measured, fixed costs included")
			assert.Equal(t, [2]float64{paired.Lo, paired.Hi}, [2]float64{v.Lo, v.Hi})
		})
	}
}

func TestFixedString(t *testing.T) {
	assert.Equal(t, "a bound on a time that contains its fixed costs", FixedInBound.String())
	assert.Equal(t, "a ratio whose both sides carry fixed costs", FixedInBoth.String())
	assert.Equal(t, "no fixed costs", FixedNone.String())
}
