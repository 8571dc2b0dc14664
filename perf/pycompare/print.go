package main

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/conclab/conclab/internal/verdict"
)

// red marks a refuted claim on a terminal.
const red, reset = "\x1b[31m", "\x1b[0m"

// print writes the table and the claims to w; color marks a refuted claim
// in red (only a refuted one: "Go needs no processes" is not a failure).
func (t *table) print(w io.Writer, color bool) {
	fmt.Fprintf(w, "Python (the article's programs, scripts/python) beside Go (the conclab scenarios); the median of %d interleaved runs each, with its %.0f%% interval; %d cores.\n\n",
		t.o.reps, 100*verdict.Level, t.o.cores)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "workload\tmodel\tworkers\twall\tper item\tspeed-up\tGo/Python per item\tfixed costs")
	last := ""
	wl := names(t.o.sizes)
	for _, c := range t.configs {
		name := c.workload
		if name == last {
			name = ""
		}
		last = c.workload
		if c.err != nil {
			fmt.Fprintf(tw, "%s\t%s\t%d\terror: %s\t\t\t\t\n", name, c.model, c.workers, oneLine(c.err.Error()))
			continue
		}
		per, sp, ratio := "", "", ""
		if c.items > 0 {
			per = perItem(verdict.Median(c.perItem()))
		}
		if c.workload == wl.cpu && c.workers > 1 {
			if one := t.find(c.workload, c.model, 1); one != nil && one.err == nil {
				sp = interval(one.walls, c.walls, "×")
			}
		}
		if c.model.isGo() {
			if best := t.bestPython(c.workload, c.workers); best != nil {
				ratio = interval(c.perItem(), best.perItem(), "")
			}
		}
		wall := fmt.Sprintf("%s [%s, %s]", round(verdict.Median(c.walls)), roundLo(c.walls), roundHi(c.walls))
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%.1f%%\n", name, c.model, c.workers, wall, per, sp, ratio, 100*c.fixedShare())
	}
	tw.Flush()
	fmt.Fprintf(w, "\nspeed-up: the 1-worker wall time over this one. Go/Python: Go's time per item over the fastest Python's on the same workload and workers (< 1: Go is faster).\n")
	fmt.Fprintf(w, "Both are ratios of runs of the same rep, taken moments apart: the Hodges–Lehmann median of the %d ratios with its %.0f%% signed-rank interval (at least 6 runs bound it).\n", t.o.reps, 100*verdict.Level)
	fmt.Fprintf(w, "fixed costs: the same program run with no work (process start-up, worker spawn, serialisation) as a share of the wall time; a claim is also judged on its runs less their fixed costs, and is not judged where the two verdicts differ.\n")
	var load verdict.Load
	for _, c := range t.configs {
		load = load.Add(c.load)
	}
	fmt.Fprintf(w, "load: %s during the runs (above %.2f a claim is not judged).\n", load, verdict.MaxOtherCores)
	fmt.Fprintln(w, "\nThe article's claims (yes: the whole interval is on the claim's side of its threshold; no: all on the other; inconclusive: otherwise):")
	for _, v := range t.claims {
		line := "  " + v.String()
		if color && v.Outcome == verdict.No {
			line = red + line + reset
		}
		fmt.Fprintln(w, line)
	}
}

// interval prints the paired ratio of num and den, the one the claims are
// judged on, with its interval: "1.92× [1.85, 1.97]".
func interval(num, den []float64, unit string) string {
	if len(num) == 0 || len(num) != len(den) || slices.ContainsFunc(den, func(x float64) bool { return !(x > 0) }) {
		return ""
	}
	r, lo, hi := verdict.PairedRatio(num, den)
	return fmt.Sprintf("%.3g%s [%.3g, %.3g]", r, unit, lo, hi)
}

// roundLo and roundHi bound the median wall time's interval.
func roundLo(walls []float64) string {
	lo, _ := verdict.Bootstrap(walls, []float64{1})
	return round(lo)
}
func roundHi(walls []float64) string {
	_, hi := verdict.Bootstrap(walls, []float64{1})
	return round(hi)
}

// perItem formats a time per item, given in seconds.
func perItem(secs float64) string {
	ns := secs * 1e9
	switch {
	case ns < 10:
		return fmt.Sprintf("%.2f ns", ns)
	case ns < 1000:
		return fmt.Sprintf("%.1f ns", ns)
	case ns < 1e6:
		return fmt.Sprintf("%.2f µs", ns/1e3)
	}
	return fmt.Sprintf("%.2f ms", ns/1e6)
}

// round formats seconds to a readable precision.
func round(secs float64) string {
	d := time.Duration(secs * float64(time.Second))
	switch {
	case d < time.Millisecond:
		return d.Round(time.Microsecond).String()
	case d < time.Second:
		return d.Round(100 * time.Microsecond).String()
	}
	return d.Round(time.Millisecond).String()
}

// count prints n with thin groups: 20 000 000.
func count(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}
