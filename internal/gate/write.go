package gate

import (
	"fmt"
	"io"
	"strings"

	decide "github.com/conclab/conclab/perf/gate"
)

// Write prints the result: the benchmarks on one side only, one verdict a
// benchmark, where the profiles are, and the last line. It returns whether
// the gate failed: a regression, or too few rounds to decide.
func (res *Result) Write(w io.Writer) (failed bool) {
	for _, l := range res.OldOnly {
		fmt.Fprintln(w, l)
	}
	for _, l := range res.NewOnly {
		fmt.Fprintln(w, l)
	}
	if res.Skipped != "" {
		if len(res.Inconclusive) > 0 {
			fmt.Fprintf(w, "gate: FAIL: %s: raise -time\n", res.Skipped)
			return true
		}
		fmt.Fprintf(w, "gate: SKIPPED: %s\n", res.Skipped)
		return false
	}
	fmt.Fprintf(w, "gate: sampling stopped: %s\n", res.Stopped)
	n := 0
	for _, f := range res.Findings {
		fmt.Fprintln(w, f)
		if f.Verdict == decide.Fail {
			n++
		}
	}
	for _, p := range res.Profiles {
		fmt.Fprintf(w, "gate: wrote %s\n", p)
	}
	r := res.Rule
	switch {
	case n > 0:
		fmt.Fprintf(w, "gate: FAIL: %d of %d benchmarks slower (rule: q ≤ %g and ratio ≥ %.3f; threshold %g%%)\n",
			n, len(res.Findings), r.Alpha, 1+r.Floor(), 100*r.Threshold)
		return true
	case len(res.Inconclusive) > 0:
		fmt.Fprintf(w, "gate: FAIL: inconclusive: %d benchmarks got too few rounds to be significant (%s): raise -time\n",
			len(res.Inconclusive), strings.Join(res.Inconclusive, ", "))
		return true
	}
	fmt.Fprintf(w, "gate: ok: none of %d benchmarks significantly slower by %.0f%% or more (threshold %g%%)\n",
		len(res.Findings), 100*r.Floor(), 100*r.Threshold)
	return false
}
