package profiling

import (
	"fmt"
	"html"
	"math"
	"strings"

	"github.com/conclab/conclab/internal/pprofkit"
)

// A chartSpec says what a scenario's chart plots against GOMAXPROCS.
type chartSpec struct {
	title string
	// value is a row's point, 0 for none.
	value func(r *Row) float64
	// ideal is the best value at n, and idealLabel says what it is.
	ideal      func(n float64) float64
	idealLabel string
	// tip is a point's tooltip.
	tip   func(r *Row) string
	empty string
}

// speedupSpec plots the speed-up against n = 1, with speed-up = n ideal.
var speedupSpec = chartSpec{
	title:      "speed-up vs GOMAXPROCS",
	value:      func(r *Row) float64 { return r.SpeedupN1 },
	ideal:      func(n float64) float64 { return n },
	idealLabel: "ideal (speed-up = n)",
	tip: func(r *Row) string {
		return fmt.Sprintf("n=%d: %.2f× vs n=1, effective parallelism %.2f", r.Run.Procs, r.SpeedupN1, r.CPU.Parallelism)
	},
	empty: "no n=1 recording: no speed-up to draw",
}

// pathSpec plots an IO scenario's wall time over its critical path: 1
// when the waits overlap perfectly, whatever n.
var pathSpec = chartSpec{
	title:      "wall ÷ critical path vs GOMAXPROCS",
	value:      func(r *Row) float64 { return r.OverPath },
	ideal:      func(float64) float64 { return 1 },
	idealLabel: "ideal (wall = the critical path of the waits)",
	tip: func(r *Row) string {
		return fmt.Sprintf("n=%d: wall %s = %.2f × the critical path %s, effective parallelism %.2f",
			r.Run.Procs, fmtSeconds(r.Run.RoundSeconds()), r.OverPath, fmtSeconds(r.Run.CriticalPathSeconds), r.CPU.Parallelism)
	},
	empty: "no critical path recorded",
}

// speedupChart draws sr's chart, one line per run set, with the ideal
// dashed: the speed-up against n = 1 for scenarios that compute, the wall
// time over the critical path for those that wait (see [Row.OverPath]).
// Points carry <title> tooltips with their numbers.
func speedupChart(sr *ScenarioReport, sets []*Set) string {
	spec := speedupSpec
	for _, r := range sr.Rows {
		if r.OverPath > 0 {
			spec = pathSpec
		}
	}
	maxN, maxY := 1.0, 1.0
	for _, r := range sr.Rows {
		maxN = max(maxN, float64(r.Run.Procs))
		maxY = max(maxY, spec.value(r))
	}
	maxY = math.Ceil(max(maxY, spec.ideal(maxN), 2) * 1.05)
	x, y := pprofkit.ChartScales(maxN, maxY)

	height := pprofkit.ChartH + 16*float64(len(sets))
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="Helvetica, Arial, sans-serif" font-size="11">
<rect x="0" y="0" width="100%%" height="100%%" fill="#ffffff"/>
<text x="%.0f" y="18" font-size="14" text-anchor="middle">%s: %s</text>
`, pprofkit.ChartW, height, pprofkit.ChartW, height, pprofkit.ChartW/2, html.EscapeString(sr.Name), spec.title)
	pprofkit.ChartAxes(&b, maxN, maxY)
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#888" stroke-dasharray="5,4"><title>%s</title></line>
`, x(0), y(spec.ideal(0)), x(maxN), y(spec.ideal(maxN)), spec.idealLabel)
	legendY := pprofkit.PadT + pprofkit.PlotH + 48
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#888" stroke-dasharray="5,4"/><text x="%.1f" y="%.1f">%s</text>
`, pprofkit.PadL, legendY, pprofkit.PadL+24, legendY, pprofkit.PadL+30, legendY+4, spec.idealLabel)
	// One line per set.
	drawn := 0
	for _, set := range sets {
		var pts []string
		var dots strings.Builder
		color := pprofkit.SeriesColors[drawn%len(pprofkit.SeriesColors)]
		for _, r := range sr.Rows {
			v := spec.value(r)
			if r.Set != set || v == 0 {
				continue
			}
			n := float64(r.Run.Procs)
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(n), y(v)))
			fmt.Fprintf(&dots, `<circle cx="%.1f" cy="%.1f" r="4" fill="%s"><title>%s (%s)</title></circle>
`, x(n), y(v), color, html.EscapeString(spec.tip(r)), html.EscapeString(set.Label))
		}
		if len(pts) == 0 {
			continue
		}
		fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>
%s`, strings.Join(pts, " "), color, dots.String())
		ly := legendY + 16*float64(drawn+1)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="2"/><text x="%.1f" y="%.1f">%s</text>
`, pprofkit.PadL, ly, pprofkit.PadL+24, ly, color, pprofkit.PadL+30, ly+4, html.EscapeString(set.Label))
		drawn++
	}
	if drawn == 0 {
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" fill="#a00">%s</text>
`, pprofkit.PadL+pprofkit.PlotW/2, pprofkit.PadT+pprofkit.PlotH/2, spec.empty)
	}
	b.WriteString("</svg>\n")
	return b.String()
}
