package profiling

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// WriteSummary prints the scaling table of every scenario to w, one line a
// recording, as `conclab profile` ends.
func (d *Data) WriteSummary(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	multi := len(d.Sets) > 1
	head := "SCENARIO\tN\tWALL\t÷PATH\t×SERIAL\t×N=1\tEFFICIENCY\tPARALLELISM\tMUTEX WAIT\tBLOCK WAIT\t"
	if multi {
		head = "MACHINE\t" + head
	}
	fmt.Fprintln(tw, head+"TOP FUNCTION\tNOTE")
	for _, sr := range d.Scenarios {
		for _, r := range sr.Rows {
			if multi {
				fmt.Fprintf(tw, "%s\t", r.Set.Label)
			}
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
				sr.Name, r.Run.Procs, fmtSeconds(r.Run.RoundSeconds()), fmtX(r.OverPath), fmtX(r.SpeedupSerial), fmtX(r.SpeedupN1),
				fmtPct(r.Efficiency), fmtParallelism(r), fmtWait(r.Mutex), fmtWait(r.Block), topFunc(r), r.Note())
		}
	}
	return tw.Flush()
}

// fmtParallelism prints r's effective parallelism, and that of its child
// processes when it had some: "0.02+1.87 children".
func fmtParallelism(r *Row) string {
	if r.ChildParallelism >= 0.005 {
		return fmt.Sprintf("%.2f+%.2f children", r.CPU.Parallelism, r.ChildParallelism)
	}
	return fmt.Sprintf("%.2f", r.CPU.Parallelism)
}

// MinSamples is the fewest CPU samples from which the report names a top
// function or draws a flame graph: below it, one sample would read as
// "100 %" or as a full-width tower.
const MinSamples = 10

// topFunc names r's hottest function and its share of the CPU.
func topFunc(r *Row) string {
	if r.CPU.Samples < MinSamples {
		return fmt.Sprintf("too few samples (%d)", r.CPU.Samples)
	}
	if len(r.CPU.Top) == 0 || r.CPU.CPUSeconds == 0 {
		return "-"
	}
	f := r.CPU.Top[0]
	return fmt.Sprintf("%s %.0f%%", ShortName(f.Name), 100*f.Flat/r.CPU.CPUSeconds)
}

// fmtSeconds prints a duration in seconds with three significant digits.
func fmtSeconds(s float64) string {
	v, unit := SecondsIn(s)
	return fmt.Sprintf("%.3g%s", v, unit)
}

// SecondsIn expresses s seconds in the largest unit of s, ms, µs and ns
// that keeps the value at 1 or more (ns for anything smaller, s for 0):
// 0.0042 is 4.2 ms. The reports of profile and scale print with it.
func SecondsIn(s float64) (float64, string) {
	switch {
	case s == 0:
		return 0, "s"
	case s >= 1:
		return s, "s"
	case s >= 1e-3:
		return s * 1e3, "ms"
	case s >= 1e-6:
		return s * 1e6, "µs"
	}
	return s * 1e9, "ns"
}

func fmtX(x float64) string {
	if x == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f×", x)
}

func fmtPct(x float64) string {
	if x == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", 100*x)
}

func fmtWait(w *WaitStats) string {
	if w == nil {
		return "-"
	}
	return fmtSeconds(w.Seconds)
}
