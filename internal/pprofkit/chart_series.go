package pprofkit

import (
	"fmt"
	"hash/fnv"
	"html"
	"math"
	"strings"
)

// ChartSeries is one line of a speed-up chart: the measured speed-up at
// each n of one machine, and optionally a model's curve through them.
type ChartSeries struct {
	Label  string
	Points []ChartPoint
	// Fit, when set, is drawn as a dotted curve of the series' colour from
	// n = 1 to the chart's right edge; FitLabel names it in the legend.
	Fit      func(n float64) float64
	FitLabel string
}

// ChartPoint is one measured point: speed-up at GOMAXPROCS N, with a
// tooltip.
type ChartPoint struct {
	N       int
	Speedup float64
	Note    string
}

// SpeedupChart draws speed-up against GOMAXPROCS for any series, in the
// look of the profile report's charts: the ideal line (speed-up = n)
// dashed, one coloured line per series with tooltips on its points, and
// each series' fitted curve dotted. maxN widens the n axis beyond the
// largest point (to show a fit's predicted peak); 0 keeps it to the points.
func SpeedupChart(title string, series []ChartSeries, maxN float64) string {
	maxY := 1.0
	for _, s := range series {
		for _, p := range s.Points {
			maxN = max(maxN, float64(p.N))
			maxY = max(maxY, p.Speedup)
		}
	}
	maxN = max(maxN, 1)
	for _, s := range series {
		if s.Fit != nil {
			for n := 1.0; n <= maxN; n += maxN / 64 {
				if v := s.Fit(n); !math.IsNaN(v) && !math.IsInf(v, 0) {
					maxY = max(maxY, v)
				}
			}
		}
	}
	maxY = math.Ceil(max(maxY, min(maxN, 2*maxY)) * 1.05)
	x, y := ChartScales(maxN, maxY)

	legends := 1
	for _, s := range series {
		legends++
		if s.Fit != nil {
			legends++
		}
	}
	height := ChartH + 16*float64(legends-1)
	// Charts inlined in one page need distinct ids.
	h := fnv.New32a()
	h.Write([]byte(title))
	clipID := fmt.Sprintf("plot-%08x", h.Sum32())
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="Helvetica, Arial, sans-serif" font-size="11">
<rect x="0" y="0" width="100%%" height="100%%" fill="#ffffff"/>
<text x="%.0f" y="18" font-size="13" text-anchor="middle">%s</text>
<clipPath id="%s"><rect x="%.1f" y="%.1f" width="%.1f" height="%.1f"/></clipPath>
`, ChartW, height, ChartW, height, ChartW/2, html.EscapeString(title), clipID, PadL, PadT, PlotW, PlotH)
	ChartAxes(&b, maxN, maxY)
	top := min(maxN, maxY)
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#888" stroke-dasharray="5,4"><title>ideal: speed-up = n</title></line>
`, x(0), y(0), x(top), y(top))
	legendY := PadT + PlotH + 48
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#888" stroke-dasharray="5,4"/><text x="%.1f" y="%.1f">ideal (speed-up = n)</text>
`, PadL, legendY, PadL+24, legendY, PadL+30, legendY+4)
	line := 0
	legend := func(color, dash, label string) {
		line++
		ly := legendY + 16*float64(line)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="2"%s/><text x="%.1f" y="%.1f">%s</text>
`, PadL, ly, PadL+24, ly, color, dash, PadL+30, ly+4, html.EscapeString(label))
	}
	for i, s := range series {
		color := SeriesColors[i%len(SeriesColors)]
		var pts []string
		for _, p := range s.Points {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(float64(p.N)), y(p.Speedup)))
		}
		if len(pts) > 0 {
			fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>
`, strings.Join(pts, " "), color)
		}
		for _, p := range s.Points {
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="4" fill="%s"><title>n=%d: %.2f× vs n=1 %s</title></circle>
`, x(float64(p.N)), y(p.Speedup), color, p.N, p.Speedup, html.EscapeString(p.Note))
		}
		legend(color, "", s.Label)
		if s.Fit == nil {
			continue
		}
		var curve []string
		for k := 0; k <= 96; k++ {
			n := 1 + (maxN-1)*float64(k)/96
			if v := s.Fit(n); !math.IsNaN(v) && !math.IsInf(v, 0) {
				curve = append(curve, fmt.Sprintf("%.1f,%.1f", x(n), y(v)))
			}
		}
		fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="1.5" stroke-dasharray="2,3" clip-path="url(#%s)"><title>%s</title></polyline>
`, strings.Join(curve, " "), color, clipID, html.EscapeString(s.FitLabel))
		legend(color, ` stroke-dasharray="2,3"`, s.FitLabel)
	}
	b.WriteString("</svg>\n")
	return b.String()
}
