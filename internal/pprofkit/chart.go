package pprofkit

import (
	"fmt"
	"slices"
	"strings"
)

// Chart geometry, in SVG pixels, of the speed-up charts of every report.
const (
	ChartW, ChartH = 520.0, 340.0
	PadL, PadR     = 50.0, 20.0
	PadT, PadB     = 34.0, 64.0
	PlotW, PlotH   = ChartW - PadL - PadR, ChartH - PadT - PadB
)

// SeriesColors, one a line of a chart, are distinguishable on white and
// for most colour-blind readers (Okabe–Ito).
var SeriesColors = []string{"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"}

// ticks returns up to about 8 round tick values from 0 to hi.
func ticks(hi float64) []float64 {
	step := 1.0
	for hi/step > 8 {
		step *= 2
	}
	var t []float64
	for v := 0.0; v <= hi+1e-9; v += step {
		t = append(t, v)
	}
	return slices.Clip(t)
}

// ChartScales maps a core count and a speed-up to the plot's x and y.
func ChartScales(maxN, maxY float64) (x, y func(float64) float64) {
	return func(n float64) float64 { return PadL + PlotW*n/maxN },
		func(s float64) float64 { return PadT + PlotH*(1-s/maxY) }
}

// ChartAxes draws the grid, the axes and the x axis's label of a speed-up
// chart whose axes end at maxN cores and a speed-up of maxY.
func ChartAxes(b *strings.Builder, maxN, maxY float64) {
	x, y := ChartScales(maxN, maxY)
	for _, t := range ticks(maxN) {
		fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#eee"/><text x="%.1f" y="%.1f" text-anchor="middle">%g</text>
`, x(t), PadT, x(t), PadT+PlotH, x(t), PadT+PlotH+14, t)
	}
	for _, t := range ticks(maxY) {
		fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#eee"/><text x="%.1f" y="%.1f" text-anchor="end">%g×</text>
`, PadL, y(t), PadL+PlotW, y(t), PadL-4, y(t)+4, t)
	}
	fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#333"/><line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#333"/>
<text x="%.1f" y="%.1f" text-anchor="middle">GOMAXPROCS (n)</text>
`, PadL, PadT+PlotH, PadL+PlotW, PadT+PlotH, PadL, PadT, PadL, PadT+PlotH, PadL+PlotW/2, PadT+PlotH+30)
}
