// Package gate decides whether the benchmarks of a change are slower than
// those of its base. It is the logic behind scripts/bench-compare and
// scripts/bench-gate (command bench-gate); the scripts build, run and print,
// and every statistic is here.
//
// The old and new test binaries run alternately, so each round gives one
// pair of measurements of a benchmark taken moments apart, and the gate
// works on the per-round ratios new/old of time per op. A drift in the
// machine's load moves both halves of a pair and cancels in the ratio.
// Which side runs first in a pair is drawn at random, so that when nothing
// changed the sign of each ratio's logarithm is a fair coin whatever the
// load does: the signed-rank test is then exact (see [Sample]).
//
// For each benchmark:
//
//   - p is the one-sided Wilcoxon signed-rank test of the log ratios
//     against zero (is new slower?), exact up to 50 pairs;
//   - the ratio is the Hodges–Lehmann estimate of the median ratio (the
//     median of the Walsh averages of the log ratios), with its 95 %
//     confidence interval;
//   - q is p adjusted by Benjamini–Hochberg over all benchmarks compared,
//     which keeps the share of false alarms among the failures at α and,
//     when nothing changed, the chance of any false alarm at α.
//
// The rule: a benchmark fails when q ≤ α (0.05) and the ratio is at least
// 1 + floor. The floor is 0.3 × the threshold (3 % for the default 10 %):
// a significant change smaller than that passes, and a slowdown of the
// threshold lies far enough above it to fail nearly always. The threshold
// is the slowdown the gate is built to catch; `make gate-power` measures
// how often it does, and how often a change of nothing fails.
//
// Sampling is sequential (see [Sample]): after a minimum of rounds, the
// gate looks at the data every few rounds and stops sampling a benchmark
// whose answer is clear — a pass when the interval's upper bound is below
// 1 + floor, a failure when q ≤ 0.001 and the lower bound is at least
// 1 + floor (the Haybittle–Peto boundary: looks at so strict a level add
// at most 0.001 each to the false-alarm rate) — and otherwise goes on until
// the rounds or the time budget run out, when the rule above decides.
package gate

import (
	"fmt"
	"math"

	"github.com/conclab/conclab/internal/stats"
)

// DefaultThreshold is the slowdown, as a fraction, the gate is built to
// catch: 10 %.
const DefaultThreshold = 0.10

// FloorShare is the effect-size floor as a share of the threshold: a
// significant slowdown estimated below threshold × FloorShare passes.
const FloorShare = 0.3

// Rule holds the gate's parameters.
type Rule struct {
	// Threshold is the slowdown, as a fraction, the gate is built to catch.
	Threshold float64
	// Alpha is the false-discovery rate of the final decision.
	Alpha float64
	// Interim is the level at which a look before the end may fail a
	// benchmark.
	Interim float64
	// Level is the confidence level of the reported interval.
	Level float64
}

// DefaultRule is the rule of the package comment.
var DefaultRule = Rule{Threshold: DefaultThreshold, Alpha: 0.05, Interim: 0.001, Level: 0.95}

// Floor is the effect-size floor as a fraction: threshold × FloorShare.
func (r Rule) Floor() float64 { return r.Threshold * FloorShare }

// Series is the paired measurements of one benchmark: Old[i] and New[i]
// are its time per op in round i.
type Series struct {
	Name     string
	Old, New []float64
}

// Pairs is the number of complete pairs.
func (s *Series) Pairs() int { return min(len(s.Old), len(s.New)) }

// LogRatios returns log(New[i]/Old[i]) for every pair with positive times.
func (s *Series) LogRatios() []float64 {
	var d []float64
	for i := range s.Pairs() {
		if s.Old[i] > 0 && s.New[i] > 0 {
			d = append(d, math.Log(s.New[i]/s.Old[i]))
		}
	}
	return d
}

// Verdict is what the gate says of one benchmark.
type Verdict int

const (
	// Undecided: no clear answer yet; more rounds are wanted.
	Undecided Verdict = iota
	// Pass: not a regression under the rule.
	Pass
	// Fail: a regression under the rule.
	Fail
)

func (v Verdict) String() string {
	switch v {
	case Pass:
		return "ok"
	case Fail:
		return "REGRESSION"
	}
	return "undecided"
}

// Finding is the gate's statistics and verdict for one benchmark.
type Finding struct {
	Name  string
	Pairs int
	// Ratio is the estimated median of new/old; Lo and Hi bound it.
	Ratio, Lo, Hi float64
	// P is the signed-rank test's one-sided p-value, Q the same adjusted
	// by Benjamini–Hochberg over every benchmark compared.
	P, Q    float64
	Verdict Verdict
	// Why names the rule that decided.
	Why string
}

func (f Finding) String() string {
	return fmt.Sprintf("%s: %s: ratio %.3f [%s, %s] (%+.1f%%), p=%.2g q=%.2g n=%d: %s",
		f.Name, f.Verdict, f.Ratio, bound(f.Lo), bound(f.Hi), 100*(f.Ratio-1), f.P, f.Q, f.Pairs, f.Why)
}

func bound(x float64) string {
	switch {
	case math.IsInf(x, -1):
		return "0"
	case math.IsInf(x, 1):
		return "∞"
	}
	return fmt.Sprintf("%.3f", x)
}

// Assess computes every series' statistics, adjusts the p-values across
// all of them, and gives each a verdict. With final false it is a look
// during sampling: only clear answers are given, the rest are Undecided.
// With final true the rule of the package comment decides every series.
func Assess(series []*Series, r Rule, final bool) []Finding {
	fs := make([]Finding, len(series))
	ps := make([]float64, len(series))
	for i, s := range series {
		d := s.LogRatios()
		t := stats.SignedRankTest(d)
		hl := stats.HodgesLehmann(d, r.Level)
		fs[i] = Finding{Name: s.Name, Pairs: len(d), Ratio: math.Exp(hl.Estimate), Lo: math.Exp(hl.Lo), Hi: math.Exp(hl.Hi), P: t.P}
		ps[i] = t.P
	}
	q := stats.AdjustBH(ps)
	floor := 1 + r.Floor()
	for i := range fs {
		f := &fs[i]
		f.Q = q[i]
		switch {
		case f.Pairs == 0:
			f.Verdict, f.Why = Pass, "no pairs measured"
			if !final {
				f.Verdict = Undecided
			}
		case !final && f.Q <= r.Interim && f.Lo >= floor:
			f.Verdict = Fail
			f.Why = fmt.Sprintf("early stop: q ≤ %g and the interval above the floor %.3f", r.Interim, floor)
		case !final && f.Hi < floor:
			f.Verdict = Pass
			f.Why = fmt.Sprintf("early stop: the interval below the floor %.3f", floor)
		case !final:
			f.Verdict = Undecided
		case f.Q <= r.Alpha && f.Ratio >= floor:
			f.Verdict = Fail
			f.Why = fmt.Sprintf("q ≤ α=%g and ratio ≥ floor %.3f", r.Alpha, floor)
		case f.Q <= r.Alpha:
			f.Verdict = Pass
			f.Why = fmt.Sprintf("significant but under the floor %.3f", floor)
		default:
			f.Verdict = Pass
			f.Why = fmt.Sprintf("not significant (q > α=%g)", r.Alpha)
		}
	}
	return fs
}
