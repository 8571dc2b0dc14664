package verdict

import (
	"fmt"
	"math"
)

// Fixed says how a claim's fixed costs (process start-up, worker spawn,
// serialisation: what the same program takes with no work) enter the
// ratio it is judged on, and so whether they can change its verdict.
//
// A run of t seconds whose fixed costs are f does t − f of work. The
// fixed costs a run really carries lie somewhere between none of f and all
// of it (a zero-work run measures them apart from the work, and start-up
// may overlap the work), and each pair's ratio moves monotonically as that
// share goes from 0 to 1. So the runs as measured and their work alone
// (each run less its own zero-work run) are the two ends of what the fixed
// costs could make of the ratio: where both ends are judged the same, the
// fixed costs cannot change the verdict, whatever their size.
type Fixed int

const (
	// FixedNone: the ratio carries no fixed costs worth measuring; the
	// verdict is JudgePaired's.
	FixedNone Fixed = iota
	// FixedInBound: the numerator is a time that contains its fixed
	// costs, the denominator a constant (a wall time against a latency),
	// and the claim bounds the time. Without them the time is only
	// shorter: an upper bound met with them included is met without (a
	// yes stands, a no must hold without them too); a lower bound missed
	// with them is missed without (a no stands, a yes must hold without
	// them).
	FixedInBound
	// FixedInBoth: both sides carry their own (a speed-up, whose runs at
	// 1 worker and at n each start up; a time per item of one program over
	// another's). They can move the ratio either way, so the verdict must
	// be the same with them and without.
	FixedInBoth
)

// String says how the fixed costs enter, for a reason.
func (f Fixed) String() string {
	switch f {
	case FixedInBound:
		return "a bound on a time that contains its fixed costs"
	case FixedInBoth:
		return "a ratio whose both sides carry fixed costs"
	}
	return "no fixed costs"
}

// JudgeFixed judges c as [JudgePaired] does, and then decides whether the
// fixed costs could change the verdict, by how they enter (see [Fixed]):
// numFixed[i] is the fixed cost inside num[i] (its zero-work run, taken in
// the same rep), denFixed[i] the one inside den[i]; denFixed is nil for
// FixedInBound, whose den is one constant. A verdict that the fixed costs
// cannot change is returned as it is, whatever their share; one that the
// work alone (num[i] − numFixed[i] over den[i] − denFixed[i]) does not
// bear out is made Inconclusive, with both intervals in the reason, as is
// one whose fixed costs are as long as a run (its work cannot be told).
// Fixed costs of the wrong shape for how are an Inconclusive verdict
// saying so.
func JudgeFixed(c Claim, how Fixed, num, den, numFixed, denFixed []float64, loads []Load, load Load) Verdict {
	v := JudgePaired(c, num, den, loads, load)
	if v.Outcome == Inconclusive || how == FixedNone {
		return v
	}
	if how == FixedInBound && (v.Outcome == Yes) == c.Below {
		// The time less its fixed costs is only shorter: further on the
		// bound's side if met from above, further off it if missed from below.
		return v
	}
	var netDen []float64
	switch how {
	case FixedInBound:
		if len(den) != 1 || denFixed != nil || len(numFixed) != len(num) {
			return v.Undecided(fmt.Sprintf("fixed costs of %d runs over a constant cannot be %s", len(numFixed), how))
		}
		netDen = den
	case FixedInBoth:
		if len(numFixed) != len(num) || len(denFixed) != len(den) {
			return v.Undecided(fmt.Sprintf("fixed costs of %d and %d runs cannot pair with %d and %d", len(numFixed), len(denFixed), len(num), len(den)))
		}
		var ok bool
		if netDen, ok = less(den, denFixed); !ok {
			return v.Undecided("fixed costs are as long as a run: its work cannot be told from them")
		}
	default:
		return v.Undecided(fmt.Sprintf("fixed costs enter as %d, which is not a Fixed", int(how)))
	}
	netNum, ok := less(num, numFixed)
	if !ok {
		return v.Undecided("fixed costs are as long as a run: its work cannot be told from them")
	}
	w := JudgePaired(c, netNum, netDen, loads, load)
	if w.Outcome == v.Outcome {
		return v
	}
	return v.Undecided(fmt.Sprintf("fixed costs could change it (%s): %s without them", how, w.Interval()))
}

// less returns xs[i] − ys[i], and false when one is not positive.
func less(xs, ys []float64) ([]float64, bool) {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = x - ys[i]
		if !(out[i] > 0) || math.IsInf(out[i], 0) {
			return nil, false
		}
	}
	return out, true
}
