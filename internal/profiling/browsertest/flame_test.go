package browsertest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Frame names of the fixture, as the panels key them: "panel:name".
const (
	all     = "0:all"
	goexit  = "0:runtime.goexit"
	func1   = "0:" + scenarios + "cpuBound.func1"
	square  = "0:" + scenarios + "SquareNumbers"
	mix     = "0:" + scenarios + "mix"
	malloc  = "0:runtime.mallocgc"
	gcWork  = "0:runtime.gcBgMarkWorker"
	mcall   = "0:runtime.mcall"
	rootW   = 1180.0 // the width of the root frame, in SVG pixels
	rootX   = 10.0
	magenta = "rgb(230,0,230)"
)

// checkZoomIntoSquareNumbers clicks scenarios.SquareNumbers in g, a flame
// graph of cpuBound, and checks the zoom: its callers stay as a full-width
// path, its callee fills the width in proportion, everything else hides;
// then Reset zoom puts every frame back.
func checkZoomIntoSquareNumbers(t *testing.T, g graph, screenshot string) {
	before := g.frames()
	require.InDelta(t, 0.7*rootW, before[square].W, 0.01, "SquareNumbers has 70 % of the CPU")
	require.InDelta(t, 0.6*rootW, before[mix].W, 0.01, "mix has 60 %")

	g.tb.click(g.frame(scenarios+"SquareNumbers", 0))
	zoomed := g.frames()
	for _, name := range []string{all, goexit, func1, square} {
		f := zoomed[name]
		assert.False(t, f.Hidden, "%s stays", name)
		assert.InDelta(t, rootX, f.X, 0.01, "%s starts at the left", name)
		assert.InDelta(t, rootW, f.W, 0.01, "%s, the clicked frame or its caller, spans the width", name)
	}
	var faded []string
	g.run(`return Array.from(d.querySelectorAll('g.f.caller')).map((f) => f.querySelector('title').textContent.split(' (')[0]);`, &faded)
	assert.ElementsMatch(t, []string{"all", "runtime.goexit", scenarios + "cpuBound.func1"}, faded, "the callers, and only they, fade")
	assert.False(t, zoomed[mix].Hidden)
	assert.InDelta(t, rootW*60/70, zoomed[mix].W, 0.01, "the callee keeps its share of the clicked frame")
	assert.Equal(t, "scenarios.mix", zoomed[mix].Label, "its label is redrawn for its new width")
	for _, name := range []string{malloc, gcWork, mcall} {
		assert.True(t, zoomed[name].Hidden, "%s is neither a caller nor a callee: hidden", name)
	}
	g.tb.screenshot(screenshot)

	g.tb.click(g.control("reset"))
	assert.Equal(t, before, g.frames(), "Reset zoom restores every frame")
	var p *point
	g.run(`const c = d.querySelector('.reset'); return c.getAttribute('display') === 'none' ? null : {X: 0, Y: 0};`, &p)
	assert.Nil(t, p, "Reset zoom hides itself")
}

func testFlameGraph(t *testing.T, b *browser) {
	flame, _ := writeFlameGraphs(t)
	tb := b.newTab(t)
	tb.open("file://" + flame)
	g := graph{tb: tb, host: "null"}
	tb.screenshot("flame")
	require.Empty(t, tb.consoleErrors(), "the flame graph opens from disk without errors")

	t.Run("click zooms, reset restores", func(t *testing.T) {
		checkZoomIntoSquareNumbers(t, g, "flame-zoomed")
	})
	t.Run("the / key searches", func(t *testing.T) {
		msg := tb.prompt(`^runtime\.(gc|malloc)`, chromedp.KeyEvent("/"))
		assert.Equal(t, "Search frames (regular expression):", msg)
		frames := g.frames()
		for _, name := range []string{malloc, gcWork, "0:runtime.gcDrain"} {
			assert.Equal(t, magenta, frames[name].Fill, "%s matches", name)
		}
		for _, name := range []string{mix, goexit, "0:runtime.scanobject"} {
			assert.NotEqual(t, magenta, frames[name].Fill, "%s does not match", name)
		}
		assert.Equal(t, `matched /^runtime\.(gc|malloc)/: 20.0% of all CPU`, g.text("matched"), "gcBgMarkWorker 15 % (gcDrain within it), mallocgc 5 %")
		tb.screenshot("flame-search")
	})
	t.Run("Escape clears the search", func(t *testing.T) {
		require.NoError(t, chromedp.Do(tb.ctx, chromedp.KeyEvent("\x1b")))
		assert.NotEqual(t, magenta, g.frames()[malloc].Fill)
		assert.Empty(t, g.text("matched"))
	})
	assert.Empty(t, tb.consoleErrors(), "no errors while used")
}

func testDiffFlameGraph(t *testing.T, b *browser) {
	_, diff := writeFlameGraphs(t)
	tb := b.newTab(t)
	tb.open("file://" + diff)
	g := graph{tb: tb, host: "null"}
	tb.screenshot("diff")
	require.Empty(t, tb.consoleErrors(), "the differential flame graph opens from disk without errors")

	t.Run("a removed frame zooms in its own panel", func(t *testing.T) {
		before := g.frames()
		require.Contains(t, before, "1:runtime.mallocgc", "mallocgc is only in the old profile")
		tb.click(g.frame("runtime.mallocgc", 1))
		zoomed := g.frames()
		assert.InDelta(t, rootW, zoomed["1:runtime.mallocgc"].W, 0.01, "the removed frame fills the width")
		assert.Equal(t, before[square], zoomed[square], "the main panel does not move")
		tb.screenshot("diff-zoomed")
		tb.click(g.control("reset"))
		assert.Equal(t, before, g.frames())
	})
	t.Run("Search covers both panels", func(t *testing.T) {
		msg := tb.prompt("mallocgc|checksum", chromedp.MouseClickXY(g.control("search").X, g.control("search").Y))
		assert.Equal(t, "Search frames (regular expression):", msg)
		assert.Equal(t, "matched /mallocgc|checksum/: 4.0% of the new profile's CPU; 5.0% of the old profile's CPU, in frames only there", g.text("matched"))
		frames := g.frames()
		assert.Equal(t, "rgb(40,190,60)", frames["0:"+scenarios+"checksum"].Fill)
		assert.Equal(t, "rgb(40,190,60)", frames["1:runtime.mallocgc"].Fill)
		assert.Equal(t, "Clear search", g.text("search"))
		tb.click(g.control("search"))
		assert.Equal(t, "Search", g.text("search"), "clicked again, it clears")
		assert.Equal(t, "url(#removed-hatch)", g.frames()["1:runtime.mallocgc"].Fill, "the hatch is back")
	})
	assert.Empty(t, tb.consoleErrors(), "no errors while used")
}

// testConsoleErrorsAreSeen is the negative control of the console check: a
// flame graph whose script throws must be caught.
func testConsoleErrorsAreSeen(t *testing.T, b *browser) {
	flame, _ := writeFlameGraphs(t)
	svg, err := os.ReadFile(flame)
	require.NoError(t, err)
	broken := filepath.Join(t.TempDir(), "broken.svg")
	require.NoError(t, os.WriteFile(broken, []byte(string(svg[:len(svg)-len("</svg>\n")])+"<script>undefinedFunction();</script></svg>\n"), 0o644))
	tb := b.newTab(t)
	tb.open("file://" + broken)
	errs := tb.consoleErrors()
	require.Len(t, errs, 1)
	assert.Contains(t, errs[0], "undefinedFunction is not defined")
}
