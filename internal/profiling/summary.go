package profiling

import (
	"fmt"
	"github.com/conclab/conclab/internal/pprofkit"
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

// topFunc names r's hottest function and its share of the CPU.
func topFunc(r *Row) string {
	if r.CPU.Samples < pprofkit.MinFlameSamples {
		return fmt.Sprintf("too few samples (%d)", r.CPU.Samples)
	}
	if len(r.CPU.Top) == 0 || r.CPU.CPUSeconds == 0 {
		return "-"
	}
	f := r.CPU.Top[0]
	return fmt.Sprintf("%s %.0f%%", pprofkit.ShortName(f.Name), 100*f.Flat/r.CPU.CPUSeconds)
}

// fmtSeconds prints a duration in seconds with three significant digits.
func fmtSeconds(s float64) string {
	v, unit := pprofkit.SecondsIn(s)
	return fmt.Sprintf("%.3g%s", v, unit)
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

func fmtWait(w *pprofkit.WaitStats) string {
	if w == nil {
		return "-"
	}
	return fmtSeconds(w.Seconds)
}
