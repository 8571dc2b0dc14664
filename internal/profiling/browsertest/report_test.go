package browsertest

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// brokenResources lists what the loaded page failed to load: an <img>
// without pixels, an <object> without an SVG document, a link (fetched,
// fragments skipped) that does not answer 200. The page's load event has
// already waited for its images and objects.
const brokenResources = `(async () => {
	const bad = [];
	for (const img of document.images) {
		if (!img.complete || img.naturalWidth === 0) bad.push('img ' + img.getAttribute('src'));
	}
	for (const o of document.querySelectorAll('object')) {
		const d = o.contentDocument;
		if (!d || !d.documentElement || d.documentElement.localName !== 'svg') bad.push('object ' + o.getAttribute('data'));
	}
	for (const a of document.querySelectorAll('a[href]')) {
		if (a.getAttribute('href').startsWith('#')) continue;
		const r = await fetch(a.href, {method: 'HEAD'});
		if (!r.ok) bad.push('link ' + a.getAttribute('href') + ': ' + r.status);
	}
	return {bad: bad, objects: document.querySelectorAll('object').length, links: document.querySelectorAll('a[href]').length};
})()`

type resources struct {
	Bad            []string
	Objects, Links int
}

func serve(t *testing.T, dir string) string {
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(srv.Close)
	return srv.URL
}

func testReport(t *testing.T, b *browser) {
	dir := writeReport(t)
	tb := b.newTab(t)
	url := serve(t, dir)
	tb.open(url + "/report.html")

	var res resources
	tb.eval(brokenResources, &res)
	assert.Empty(t, res.Bad, "every image, embedded graph and link resolves")
	assert.Equal(t, 2, res.Objects, "a flame graph embedded per scenario")
	assert.Positive(t, res.Links)
	require.Empty(t, tb.consoleErrors(), "the report loads without errors")
	tb.screenshot("report")

	cpu := graph{tb: tb, host: `document.querySelector('object[data="cpu-bound/cpu-2.svg"]')`}
	download := graph{tb: tb, host: `document.querySelector('object[data="download/cpu-2.svg"]')`}
	assert.Equal(t, "too few samples (3): a flame graph needs at least 10", download.text("too-few"), "3 samples draw no tower")

	t.Run("click zooms, reset restores", func(t *testing.T) {
		checkZoomIntoSquareNumbers(t, cpu, "report-zoomed")
	})
	t.Run("Search highlights and prints the share", func(t *testing.T) {
		msg := tb.prompt("mix|mallocgc", chromedp.MouseClickXY(cpu.control("search").X, cpu.control("search").Y))
		assert.Equal(t, "Search frames (regular expression):", msg)
		frames := cpu.frames()
		assert.Equal(t, magenta, frames[mix].Fill)
		assert.Equal(t, magenta, frames[malloc].Fill)
		assert.NotEqual(t, magenta, frames[square].Fill)
		assert.Equal(t, "matched /mix|mallocgc/: 65.0% of all CPU", cpu.text("matched"))
		tb.click(cpu.control("search"))
		assert.NotEqual(t, magenta, cpu.frames()[mix].Fill, "Clear search restores the colours")
		assert.Empty(t, cpu.text("matched"))
	})
	assert.Empty(t, tb.consoleErrors(), "no errors while used")

	t.Run("from disk", func(t *testing.T) {
		tb.open("file://" + filepath.Join(dir, "report.html"))
		assert.Empty(t, tb.consoleErrors(), "the report opens from disk: every embedded graph found")
	})
}

// testBrokenReportIsCaught is the negative control of the resource check: a
// report whose flame graph is missing must be reported, by the check and
// on the console.
func testBrokenReportIsCaught(t *testing.T, b *browser) {
	dir := writeReport(t)
	require.NoError(t, os.Remove(filepath.Join(dir, "cpu-bound", "cpu-2.svg")))
	tb := b.newTab(t)
	tb.open(serve(t, dir) + "/report.html")
	var res resources
	tb.eval(brokenResources, &res)
	assert.Contains(t, res.Bad, "object cpu-bound/cpu-2.svg")
	assert.Contains(t, res.Bad, "link cpu-bound/cpu-2.svg: 404")
	assert.NotEmpty(t, tb.consoleErrors(), "the 404 shows on the console")
}
