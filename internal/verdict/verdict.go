// Package verdict judges a claim about measurements: whether a ratio of
// two measured quantities lies on the claim's side of a threshold. It is
// the one rule behind every "yes" and "no" conclab prints, in
// `make compare-python` and in the report's claim column.
//
// A verdict rests on an interval, not on a single figure. [JudgePaired]
// takes paired samples (wall times at 1 worker and at n, each pair from one
// rep of interleaved runs): the ratio is the Hodges–Lehmann median of the
// pairs' ratios with its signed-rank interval. [Judge] takes two unpaired
// samples, or aggregates measured once: the ratio of their medians with a
// seeded bootstrap interval. Either way the claim is [Yes] when the whole
// interval is on its side of the threshold, [No] when the whole interval
// is on the other side, and [Inconclusive] when the interval straddles the
// threshold, when there are too few samples to bound it, or when other
// programs kept the machine busy while the samples were taken (see
// [Load]): a loaded machine never makes a claim fail. [JudgeFixed] adds
// the runs' fixed costs (start-up and the like): a verdict stands when
// the work alone, without them, is judged the same, and is Inconclusive
// only where they could change it (see [Fixed] for how they enter).
//
//	c := verdict.Claim{Text: "processes do", Threshold: 1.5, Unit: "×",
//		Yes: "Python needs processes for the cores; Go does not",
//		No:  "Python processes did not use the cores"}
//	v := verdict.Judge(c, oneWorkerWalls, twoWorkerWalls, load)
//	fmt.Println(v) // yes  processes do: 1.92× [1.85, 1.97] ≥ 1.5 — Python needs processes ...
package verdict

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Outcome is what the measurements say of a claim.
type Outcome int

const (
	// Inconclusive: the measurements cannot decide.
	Inconclusive Outcome = iota
	// Yes: the measurements bear the claim out.
	Yes
	// No: the measurements refute the claim.
	No
)

// String returns "yes", "no" or "inconclusive".
func (o Outcome) String() string {
	switch o {
	case Yes:
		return "yes"
	case No:
		return "no"
	}
	return "inconclusive"
}

// Claim is a statement that a ratio of two measured quantities is at least
// (or, with Below, at most) Threshold.
type Claim struct {
	// Text states the claim: "processes do".
	Text string
	// Threshold is the ratio the claim is judged against.
	Threshold float64
	// Below makes the claim "the ratio is at most Threshold".
	Below bool
	// ShowOnly marks a measurement that can show the claim but not refute
	// it (no lock contention seen does not refute that a lock serialises):
	// an interval all on the other side is Inconclusive, not No.
	ShowOnly bool
	// MinSamples is the fewest samples the larger of the two samples must
	// hold for an interval: fewer give Inconclusive. Zero means
	// DefaultMinSamples. A claim on quantities measured once, each an
	// aggregate of many events (a profile's busy cores), sets 1: its
	// interval is then the point itself.
	MinSamples int
	// Yes and No say in words what each outcome means for Go: "Go:
	// goroutines use both cores; processes not needed".
	Yes, No string
	// Unit is printed after the ratio: "×" for speed-ups, "" for plain
	// numbers.
	Unit string
}

// DefaultMinSamples is the fewest samples of a claim's larger sample that
// bound an interval when the claim does not say.
const DefaultMinSamples = 3

// Level is the confidence level of the intervals.
const Level = 0.95

// Resamples is the number of bootstrap resamples behind an interval.
const Resamples = 2000

// Seed seeds the bootstrap: the same samples give the same interval, in
// tests and from run to run.
const Seed = 1

// Verdict is a claim judged.
type Verdict struct {
	Claim   Claim
	Outcome Outcome
	// Ratio is median(num) ÷ median(den); Lo and Hi bound its interval.
	Ratio, Lo, Hi float64
	// N is the size of the larger sample.
	N int
	// Reason says why the verdict is Inconclusive; empty otherwise.
	Reason string
}

// Meaning says what the verdict means for Go, in words: the claim's Yes or
// No, or why the measurements cannot decide.
func (v Verdict) Meaning() string {
	switch v.Outcome {
	case Yes:
		return v.Claim.Yes
	case No:
		return v.Claim.No
	}
	return v.Reason
}

// Interval prints the ratio and its interval against the threshold:
// "1.92× [1.85, 1.97] ≥ 1.5".
func (v Verdict) Interval() string {
	if v.N == 0 {
		return "no measurement"
	}
	unit := v.Claim.Unit
	cmp := "≥"
	if v.Claim.Below {
		cmp = "≤"
	}
	if v.N == 1 {
		return fmt.Sprintf("%.3g%s (one measurement) %s %.3g", v.Ratio, unit, cmp, v.Claim.Threshold)
	}
	return fmt.Sprintf("%.3g%s [%.3g, %.3g] %s %.3g", v.Ratio, unit, v.Lo, v.Hi, cmp, v.Claim.Threshold)
}

// String is the verdict on one line: "yes  processes do: 1.92× [1.85,
// 1.97] ≥ 1.5 — Python needs processes for the cores; Go does not".
func (v Verdict) String() string {
	return fmt.Sprintf("%-12s %s: %s — %s", v.Outcome, v.Claim.Text, v.Interval(), v.Meaning())
}

// Undecided returns v made Inconclusive for reason, a cause of doubt the
// samples themselves cannot show (fixed costs too large a share of the
// work, say); its ratio and interval are kept.
func (v Verdict) Undecided(reason string) Verdict {
	v.Outcome, v.Reason = Inconclusive, reason
	return v
}

// Judge judges c on the ratio median(num) ÷ median(den), with its
// bootstrap interval at [Level], taken while the machine bore load. A den
// or num of one value is a constant (the latency of a wait, say). Judge is
// deterministic: the bootstrap is seeded with [Seed].
func Judge(c Claim, num, den []float64, load Load) Verdict {
	v := Verdict{Claim: c, N: max(len(num), len(den))}
	minSamples := c.MinSamples
	if minSamples == 0 {
		minSamples = DefaultMinSamples
	}
	switch {
	case len(num) == 0 || len(den) == 0:
		v.N = 0
		v.Reason = "no measurement"
		return v
	case !positive(num) || !positive(den):
		v.Reason = "a measurement is not a positive number"
		return v
	}
	v.Ratio = median(num) / median(den)
	v.Lo, v.Hi = Bootstrap(num, den)
	few := ""
	if v.N < minSamples {
		few = fmt.Sprintf("%d runs are too few to bound the ratio (at least %d)", v.N, minSamples)
	}
	return v.decide(load, few)
}

// decide sets v's outcome from its interval, or the reason it has none:
// the load, or few, when the samples are too few to bound the ratio.
func (v Verdict) decide(load Load, few string) Verdict {
	c := v.Claim
	switch {
	case load.Busy():
		v.Reason = "the machine was loaded: " + load.String()
	case few != "":
		v.Reason = few
	case holds(c, v.Lo) && holds(c, v.Hi):
		v.Outcome = Yes
	case !holds(c, v.Lo) && !holds(c, v.Hi):
		if c.ShowOnly {
			v.Reason = "the measurements do not show it, and cannot refute it"
			return v
		}
		v.Outcome = No
	default:
		v.Reason = fmt.Sprintf("the interval [%.3g, %.3g] straddles the threshold %.3g", v.Lo, v.Hi, c.Threshold)
	}
	return v
}

// holds reports whether ratio r is on c's side of its threshold.
func holds(c Claim, r float64) bool {
	if c.Below {
		return r <= c.Threshold
	}
	return r >= c.Threshold
}

func positive(xs []float64) bool {
	for _, x := range xs {
		if !(x > 0) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// Bootstrap returns the [Level] confidence interval of median(num) ÷
// median(den), from [Resamples] resamples of each drawn with replacement,
// seeded with [Seed]. A sample of one value contributes that value to
// every resample.
func Bootstrap(num, den []float64) (lo, hi float64) {
	rng := rand.New(rand.NewPCG(Seed, Seed))
	ratios := make([]float64, Resamples)
	a := make([]float64, len(num))
	b := make([]float64, len(den))
	for i := range ratios {
		resample(rng, a, num)
		resample(rng, b, den)
		ratios[i] = median(a) / median(b)
	}
	slices.Sort(ratios)
	tail := (1 - Level) / 2
	return quantile(ratios, tail), quantile(ratios, 1-tail)
}

func resample(rng *rand.Rand, dst, src []float64) {
	for i := range dst {
		dst[i] = src[rng.IntN(len(src))]
	}
}

// median returns the median of xs, which it may reorder; xs is not empty.
func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// Median returns the median of xs, or 0 for none.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	return median(xs)
}

// quantile returns the q-quantile of sorted xs, interpolating linearly.
func quantile(sorted []float64, q float64) float64 {
	pos := q * float64(len(sorted)-1)
	i := int(pos)
	if i+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	f := pos - float64(i)
	return sorted[i]*(1-f) + sorted[i+1]*f
}
