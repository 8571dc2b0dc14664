package browsertest

import (
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

var pngDir = flag.String("browsertest.png", "", "save screenshots of the pages checked into this directory")

// browsers are the names a Chromium goes by on PATH.
var browsers = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"}

// browserPath returns the browser to drive, or skips the test saying why
// there is none.
func browserPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CONCLAB_BROWSER"); p != "" {
		path, err := exec.LookPath(p)
		require.NoError(t, err, "CONCLAB_BROWSER=%s", p)
		return path
	}
	for _, name := range browsers {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	t.Skipf("no headless browser: none of %s on PATH; install one (`make browser-test` installs Debian's chromium) or set CONCLAB_BROWSER", strings.Join(browsers, ", "))
	return ""
}

// tab is one page of a headless browser started for one test, with the
// errors its console reported.
type tab struct {
	t   *testing.T
	ctx context.Context

	mu     sync.Mutex
	errors []string
}

// browser is a headless browser shared by the subtests of one test.
type browser struct {
	ctx context.Context
}

// startBrowser starts a browser for t, or skips t where there is none; the
// browser ends with t.
func startBrowser(t *testing.T) *browser {
	path := browserPath(t)
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.WindowSize(1280, 1000))
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // Chromium refuses its sandbox to root
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc() // waits for the browser to exit
		cancel()
	})
	require.NoError(t, chromedp.Do(bctx), "start %s", path)
	return &browser{ctx: bctx}
}

// newTab opens a tab of b for t, closed when t ends, with its own record
// of console errors.
func (b *browser) newTab(t *testing.T) *tab {
	ctx, cancel := chromedp.NewContext(b.ctx)
	t.Cleanup(cancel)
	tb := &tab{t: t, ctx: ctx}
	require.NoError(t, chromedp.Listen(ctx, tb.listen))
	return tb
}

// listen records what the console shows as an error: console.error calls,
// uncaught exceptions, and the browser's own errors, such as a resource
// that failed to load. It runs in chromedp's reading loop, so it only
// appends.
func (tb *tab) listen(ev any) {
	var msg string
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError && ev.Type != runtime.ConsoleAPICalledTypeAssert {
			return
		}
		var args []string
		for _, a := range ev.Args {
			args = append(args, cmp.Or(string(a.Value), a.Description))
		}
		msg = "console." + string(ev.Type) + ": " + strings.Join(args, " ")
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg = fmt.Sprintf("exception at %s:%d: %s", d.URL, d.LineNumber+1, d.Text)
		if d.Exception != nil {
			msg += " " + d.Exception.Description
		}
	case *log.EventEntryAdded:
		if ev.Entry.Level != log.EntryLevelError || strings.HasSuffix(ev.Entry.URL, "/favicon.ico") {
			return // the browser asks a server for an icon the page never named
		}
		msg = "browser log: " + ev.Entry.Text + " " + ev.Entry.URL
	default:
		return
	}
	tb.mu.Lock()
	tb.errors = append(tb.errors, msg)
	tb.mu.Unlock()
}

// consoleErrors returns the errors seen so far. A command runs first: the
// browser sends every event before the reply to a later command, so none
// is still on its way.
func (tb *tab) consoleErrors() []string {
	tb.t.Helper()
	tb.eval("0", new(int))
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return append([]string(nil), tb.errors...)
}

// open loads url and waits for its load event, which waits for the
// documents of its <object>s.
func (tb *tab) open(url string) {
	tb.t.Helper()
	require.NoError(tb.t, chromedp.Do(tb.ctx, chromedp.Navigate(url)), "open %s", url)
}

// eval evaluates the JavaScript expression js, awaiting a promise, and
// decodes its value into v.
func (tb *tab) eval(js string, v any) {
	tb.t.Helper()
	raw, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]byte](js, chromedp.EvalAwaitPromise))
	require.NoError(tb.t, err, "evaluate %s", js)
	require.NoError(tb.t, json.Unmarshal(raw, v), "decode %s", raw)
}

// click clicks the mouse at a point of the page's viewport, as a person
// would: the page gets the mouse events, not a synthetic click().
func (tb *tab) click(p point) {
	tb.t.Helper()
	require.NoError(tb.t, chromedp.Do(tb.ctx, chromedp.MouseClickXY(p.X, p.Y)))
}

// prompt runs trigger, which must open a prompt, answers it with answer
// and returns the prompt's message. The prompt blocks the page, and so the
// trigger, until a second goroutine answers it.
func (tb *tab) prompt(answer string, trigger chromedp.Action[chromedp.Void]) string {
	tb.t.Helper()
	ctx, stop := context.WithCancel(tb.ctx)
	defer stop()
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	var (
		wg      sync.WaitGroup
		message string
		opened  bool
		handled error
	)
	wg.Go(func() {
		for ev, err := range dialogs {
			if err != nil {
				return // the trigger ended without a prompt
			}
			message, opened = ev.Message, true
			_, handled = chromedp.Call(tb.ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true, PromptText: answer})
			return
		}
	})
	err := chromedp.Do(tb.ctx, trigger)
	stop()
	wg.Wait()
	require.NoError(tb.t, err)
	require.True(tb.t, opened, "a prompt opened")
	require.NoError(tb.t, handled, "answer the prompt")
	return message
}

// screenshot saves the whole page as DIR/name.png when -browsertest.png
// DIR is given.
func (tb *tab) screenshot(name string) {
	tb.t.Helper()
	if *pngDir == "" {
		return
	}
	var root string
	tb.eval(`document.documentElement.localName`, &root)
	shot := chromedp.FullScreenshot(100)
	if root == "svg" {
		shot = chromedp.Screenshot(chromedp.CSS(":root")) // the graph, not the empty window around it
	}
	png, err := chromedp.Run(tb.ctx, shot)
	require.NoError(tb.t, err)
	require.NoError(tb.t, os.MkdirAll(*pngDir, 0o755))
	path := filepath.Join(*pngDir, name+".png")
	require.NoError(tb.t, os.WriteFile(path, png, 0o644))
	tb.t.Logf("screenshot: %s", path)
}

// point is a position in the page's viewport, in CSS pixels.
type point struct{ X, Y float64 }

// svgFrame is a frame of a flame graph as the browser shows it now.
type svgFrame struct {
	Title, Label, Fill string
	X, W               float64
	Hidden             bool
	Panel              int
}

// graph is a flame graph in the tab: the document itself (a standalone
// SVG), or the document of an <object> of the page.
type graph struct {
	tb *tab
	// host is a JavaScript expression for the <object> holding the graph,
	// "null" for the page itself.
	host string
}

// prelude defines, for the graph's script, d (the SVG's document) and
// center(el) (the point of the page's viewport at el's centre, after
// scrolling it into view).
func (g graph) prelude() string {
	return `const host = ` + g.host + `;
const d = host ? host.contentDocument : document;
const center = (el) => {
	const off = () => host ? host.getBoundingClientRect() : {left: 0, top: 0};
	let r = el.getBoundingClientRect();
	window.scrollBy(0, off().top + r.top + r.height / 2 - window.innerHeight / 2);
	r = el.getBoundingClientRect();
	const o = off();
	return {X: o.left + r.left + r.width / 2, Y: o.top + r.top + r.height / 2};
};
const frameNamed = (name, panel) => Array.from(d.querySelectorAll('g.panel')[panel].querySelectorAll('g.f'))
	.find((g) => g.querySelector('title').textContent.startsWith(name + ' ('));
`
}

// run evaluates body after the prelude and decodes what it returns.
func (g graph) run(body string, v any) {
	g.tb.t.Helper()
	g.tb.eval("(() => {\n"+g.prelude()+body+"\n})()", v)
}

// frame returns the point to click on the frame called name in panel.
func (g graph) frame(name string, panel int) point {
	g.tb.t.Helper()
	var p *point
	g.run(fmt.Sprintf(`const f = frameNamed(%s, %d); return f ? center(f.querySelector('rect')) : null;`, jsString(name), panel), &p)
	require.NotNil(g.tb.t, p, "frame %s in panel %d", name, panel)
	return *p
}

// control returns the point to click on the control with class name.
func (g graph) control(class string) point {
	g.tb.t.Helper()
	var p *point
	g.run(fmt.Sprintf(`const c = d.querySelector(%s); return c && c.getAttribute('display') !== 'none' ? center(c) : null;`, jsString("."+class)), &p)
	require.NotNil(g.tb.t, p, "a visible %s control", class)
	return *p
}

// frames returns every frame of the graph as drawn now, by title.
func (g graph) frames() map[string]svgFrame {
	g.tb.t.Helper()
	var list []svgFrame
	g.run(`return Array.from(d.querySelectorAll('g.panel')).flatMap((p, i) => Array.from(p.querySelectorAll('g.f')).map((f) => {
	const r = f.querySelector('rect');
	return {Title: f.querySelector('title').textContent, Label: f.querySelector('text').textContent, Fill: r.getAttribute('fill'),
		X: +r.getAttribute('x'), W: +r.getAttribute('width'), Hidden: f.getAttribute('display') === 'none', Panel: i};
}));`, &list)
	byName := map[string]svgFrame{}
	for _, f := range list {
		name, _, _ := strings.Cut(f.Title, " (")
		byName[fmt.Sprintf("%d:%s", f.Panel, name)] = f
	}
	return byName
}

// text returns the text of the element with class name.
func (g graph) text(class string) string {
	g.tb.t.Helper()
	var s *string
	g.run(fmt.Sprintf(`const e = d.querySelector(%s); return e ? e.textContent : null;`, jsString("."+class)), &s)
	require.NotNil(g.tb.t, s, "an element of class %s", class)
	return *s
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
