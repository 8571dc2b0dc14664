package verdict

import (
	"fmt"
	"math"

	"github.com/conclab/conclab/internal/stats"
)

// JudgePaired judges c on paired samples: num[i] and den[i] were taken
// moments apart (the i-th of several interleaved runs), so that a slow
// drift of the machine moves both and cancels in their ratio. The ratio is
// the Hodges–Lehmann estimate of the median of the ratios num[i] ÷ den[i]
// (the median of the Walsh averages of their logarithms), and its interval
// is the signed-rank interval at [Level]: distribution-free, and one run
// spoiled by a burst of load moves it little, where it moves a bootstrap
// interval of a median of nine runs by a whole rank. A den of one value
// is a constant, paired with every num.
//
// Pairs whose own load shows other programs busy (loads[i].Busy(), when
// loads is not nil) are left out; when more than a third are, the verdict
// is Inconclusive, as it is when the load over the pairs kept is busy
// (load, the load over all the runs, when loads is nil or knows none):
// a burst of load during one pair leaves that pair out and does not spoil
// the others. Six pairs at least are needed for a 95 % interval.
func JudgePaired(c Claim, num, den []float64, loads []Load, load Load) Verdict {
	v := Verdict{Claim: c}
	switch {
	case len(num) == 0 || len(den) == 0:
		v.Reason = "no measurement"
		return v
	case len(den) != 1 && len(den) != len(num), loads != nil && len(loads) != len(num):
		v.Reason = fmt.Sprintf("%d samples cannot pair with %d", len(num), len(den))
		return v
	case !positive(num) || !positive(den):
		v.N = len(num)
		v.Reason = "a measurement is not a positive number"
		return v
	}
	var kept []float64
	var busy, keptLoad Load
	for i, x := range num {
		if loads != nil && loads[i].Busy() {
			busy = busy.Add(loads[i])
			continue
		}
		if loads != nil {
			keptLoad = keptLoad.Add(loads[i])
		}
		kept = append(kept, math.Log(x/den[min(i, len(den)-1)]))
	}
	if keptLoad.Known {
		// A pair left out for its load does not also veto the rest.
		load = keptLoad
	}
	if left := len(num) - len(kept); 3*left > len(num) {
		// Shown, not judged.
		v.N = len(num)
		v.Ratio, v.Lo, v.Hi = PairedRatio(num, den)
		v.Reason = fmt.Sprintf("the machine was loaded during %d of %d pairs: %s", left, len(num), busy)
		return v
	}
	v.N = len(kept)
	v.Ratio, v.Lo, v.Hi = hodgesLehmann(kept)
	few := ""
	if v.Lo == 0 {
		few = fmt.Sprintf("%d pairs are too few to bound the ratio (at least 6)", v.N)
	}
	return v.decide(load, few)
}

// PairedRatio returns the ratio JudgePaired judges, the Hodges–Lehmann
// median of num[i] ÷ den[i], with its [Level] interval; lo is 0 and hi
// +Inf when there are too few pairs to bound it. den may be one constant;
// otherwise it is as long as num. Every value must be positive.
func PairedRatio(num, den []float64) (ratio, lo, hi float64) {
	logs := make([]float64, len(num))
	for i, x := range num {
		logs[i] = math.Log(x / den[min(i, len(den)-1)])
	}
	return hodgesLehmann(logs)
}

func hodgesLehmann(logs []float64) (ratio, lo, hi float64) {
	hl := stats.HodgesLehmann(logs, Level)
	return math.Exp(hl.Estimate), math.Exp(hl.Lo), math.Exp(hl.Hi)
}
