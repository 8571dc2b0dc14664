package pprofkit

import (
	_ "embed"
	"fmt"
	"html"
	"strings"
)

// flameScript makes a flame graph interactive: click to zoom, Search to
// highlight. It reads the geometry the SVG carries (data-x, data-w, data-l
// on each frame; data-x, data-w, data-of on each panel) and needs nothing
// else, so one copy per SVG file keeps the file self-contained.
//
//go:embed flame.js
var flameScript string

// Highlight colours of the frames a search matches: magenta among the warm
// colours of a flame graph, green among the reds and blues of a
// differential one.
const (
	normalHighlight = "rgb(230,0,230)"
	diffHighlight   = "rgb(40,190,60)"
)

// flameStyle is the CSS of the interactive parts, scoped to flame graphs
// so that an SVG inlined in a page styles nothing else.
const flameStyle = `svg.flamegraph g.f { cursor: pointer; }
svg.flamegraph g.f:hover rect { stroke: #222; stroke-width: 0.6; }
svg.flamegraph g.f.caller rect { fill-opacity: 0.45; }
svg.flamegraph .control { cursor: pointer; fill: #1a4fa0; }
svg.flamegraph .control:hover { text-decoration: underline; }`

// svgHead opens a flame graph's SVG, height pixels high: the title, the
// subtitle, the zoom and search controls.
func svgHead(b *strings.Builder, height float64, title, subtitle, highlight string) {
	fmt.Fprintf(b, `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" class="flamegraph" data-highlight="%s" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="Menlo, Consolas, 'DejaVu Sans Mono', monospace" font-size="11">
<style>
%s
</style>
<rect x="0" y="0" width="100%%" height="100%%" fill="#fdfdf6"/>
<text x="%.0f" y="18" font-size="15" text-anchor="middle">%s</text>
<text x="%.0f" y="33" font-size="11" fill="#555" text-anchor="middle">%s</text>
<text class="control reset" x="%.0f" y="18" display="none">Reset zoom</text>
<text class="control search" x="%.0f" y="18" text-anchor="end">Search</text>
`, highlight, svgWidth, height, svgWidth, height, flameStyle,
		svgWidth/2, html.EscapeString(title),
		svgWidth/2, html.EscapeString(subtitle),
		flameLeft, svgWidth-flameLeft)
}

// panelOpen opens a group of frames that zoom together; of says what the
// panel's full width is a share of, for the search result.
func panelOpen(b *strings.Builder, of string) {
	fmt.Fprintf(b, `<g class="panel" data-x="%.0f" data-w="%.0f" data-of="%s">`+"\n", flameLeft, flameWidth, html.EscapeString(of))
}

// writeFrame draws one frame: a <g> with its tooltip, its rectangle and
// its label, and the geometry the script zooms from. level counts from the
// panel's root.
func writeFrame(b *strings.Builder, x, y, w float64, level int, tooltip, name, fill string) {
	fmt.Fprintf(b, `<g class="f" data-x="%.3f" data-w="%.3f" data-l="%d"><title>%s</title><rect x="%.2f" y="%.1f" width="%.2f" height="%.1f" fill="%s" rx="2"/><text x="%.2f" y="%.1f">%s</text></g>`+"\n",
		x, w, level, html.EscapeString(tooltip), x, y, w, frameHeight-1, fill, x+3, y+frameHeight-5, html.EscapeString(clip(ShortName(name), w)))
}

// svgTail ends the SVG: the line the search result is printed on and the
// script.
func svgTail(b *strings.Builder, height float64) {
	fmt.Fprintf(b, `<text class="matched" x="%.0f" y="%.0f" text-anchor="end" fill="#333"></text>
<script><![CDATA[
%s]]></script>
</svg>
`, svgWidth-flameLeft, height-5, strings.ReplaceAll(flameScript, "]]>", "]]]]><![CDATA[>"))
}

// tooFewSamples writes an SVG that says why no flame graph is drawn.
func tooFewSamples(b *strings.Builder, title, why string) {
	fmt.Fprintf(b, `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" class="flamegraph" width="%.0f" height="70" viewBox="0 0 %.0f 70" font-family="Menlo, Consolas, 'DejaVu Sans Mono', monospace" font-size="11">
<rect x="0" y="0" width="100%%" height="100%%" fill="#fdfdf6"/>
<text x="%.0f" y="18" font-size="15" text-anchor="middle">%s</text>
<text class="too-few" x="%.0f" y="45" font-size="13" fill="#b30" text-anchor="middle">%s</text>
</svg>
`, svgWidth, svgWidth, svgWidth/2, html.EscapeString(title), svgWidth/2, html.EscapeString(why))
}
