package pprofkit

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/google/pprof/profile"
)

// diffFrame is one node of the merged stack trees of two profiles: a
// function called along one path from the root, with its CPU in the base
// (old) and the head (new) profile.
type diffFrame struct {
	name       string
	base, head int64
	children   []*diffFrame
}

// mergeFrames merges the stack trees b and h (either may be nil) into one
// tree, children sorted by name.
func mergeFrames(b, h *frame) *diffFrame {
	d := &diffFrame{}
	byName := map[string][2]*frame{}
	for i, f := range []*frame{b, h} {
		if f == nil {
			continue
		}
		d.name = f.name
		if i == 0 {
			d.base = f.value
		} else {
			d.head = f.value
		}
		for _, c := range f.children {
			pair := byName[c.name]
			pair[i] = c
			byName[c.name] = pair
		}
	}
	for _, pair := range byName {
		d.children = append(d.children, mergeFrames(pair[0], pair[1]))
	}
	slices.SortFunc(d.children, func(a, c *diffFrame) int { return cmp.Compare(a.name, c.name) })
	return d
}

// depth is the number of levels of the tree below and including d, counting
// only frames of the head profile if headOnly.
func (d *diffFrame) depth(headOnly bool) int {
	n := 0
	for _, c := range d.children {
		if !headOnly || c.head > 0 {
			n = max(n, c.depth(headOnly))
		}
	}
	return n + 1
}

// removed is a subtree of the base profile missing from the head one, with
// the path of callers that leads to it.
type removed struct {
	frame  *diffFrame
	caller []string // root first
}

// Colours of the differential flame graph: neutral for no change, red for
// a frame that grew, blue for one that shrank.
var (
	neutralRGB = [3]float64{236, 234, 222}
	grewRGB    = [3]float64{214, 39, 40}
	shrankRGB  = [3]float64{31, 100, 200}
)

// minColourScale is the change in share of the CPU drawn at full colour
// when no frame changed by more: half a percentage point, so that noise in
// two equal profiles stays pale. Frames only in the base profile are
// hatched, not shaded, and do not set the scale.
const minColourScale = 0.005

// diffColor shades a frame by its change in share delta, at full colour for
// |delta| ≥ scale.
func diffColor(delta, scale float64) string {
	t := min(1, math.Abs(delta)/scale)
	to := grewRGB
	if delta < 0 {
		to = shrankRGB
	}
	var c [3]int
	for i := range c {
		c[i] = int(math.Round(neutralRGB[i] + t*(to[i]-neutralRGB[i])))
	}
	return fmt.Sprintf("rgb(%d,%d,%d)", c[0], c[1], c[2])
}

// WriteDiffFlameGraph renders the change from base (the old CPU profile) to
// head (the new one) as a differential flame graph in SVG. Frames are laid
// out as in [WriteFlameGraph], as wide as their CPU in head; each is
// coloured by the change in its share of all CPU (the frame and everything
// it calls, head's share minus base's): red where it grew, blue where it
// shrank, near-neutral where it held, at full colour for the largest change
// (at least half a percentage point), as the legend says. A frame is a
// function on one call path, so a frame "only in base" is a call path head
// never sampled (the function may still run elsewhere). Such frames have no
// width in head; they are drawn in a second, hatched panel below, as wide
// as their share of base on the same scale, each with the callers it was
// reached from in its tooltip. Every tooltip gives the old
// and new share, the change and the CPU seconds. The graph is interactive
// like [WriteFlameGraph]'s. When either profile has fewer than
// [MinFlameSamples] samples, the SVG says "too few samples" instead.
func WriteDiffFlameGraph(w io.Writer, base, head *profile.Profile, title string) error {
	bt, err := stackTree(base, "cpu", "nanoseconds")
	if err != nil {
		return fmt.Errorf("base profile: %w", err)
	}
	ht, err := stackTree(head, "cpu", "nanoseconds")
	if err != nil {
		return fmt.Errorf("head profile: %w", err)
	}
	var b strings.Builder
	if nb, nh := SampleCount(base), SampleCount(head); nb < MinFlameSamples || nh < MinFlameSamples || bt.value <= 0 || ht.value <= 0 {
		tooFewSamples(&b, title, fmt.Sprintf("too few samples (old %d, new %d): a differential flame graph needs at least %d in each", nb, nh, MinFlameSamples))
		_, err = io.WriteString(w, b.String())
		return err
	}
	root := mergeFrames(bt, ht)
	baseTotal, headTotal := float64(root.base), float64(root.head)
	share := func(f *diffFrame) (float64, float64) { return float64(f.base) / baseTotal, float64(f.head) / headTotal }

	// The base-only subtrees, and the largest change, which sets the colour scale.
	var gone []removed
	colourScale := float64(minColourScale)
	var walk func(f *diffFrame, path []string)
	walk = func(f *diffFrame, path []string) {
		if f.head == 0 {
			gone = append(gone, removed{f, slices.Clone(path)})
			return
		}
		bs, hs := share(f)
		colourScale = max(colourScale, math.Abs(hs-bs))
		for _, c := range f.children {
			walk(c, append(path, f.name))
		}
	}
	walk(root, nil)
	slices.SortStableFunc(gone, func(a, c removed) int { return cmp.Compare(c.frame.base, a.frame.base) })
	var goneValue int64
	goneDepth := 0
	for _, g := range gone {
		goneValue += g.frame.base
		goneDepth = max(goneDepth, g.frame.depth(false))
	}

	const legendTop, legendHeight, goneGap = 40.0, 26.0, 34.0
	mainTop := legendTop + legendHeight
	mainBottom := mainTop + float64(root.depth(true))*frameHeight
	height := mainBottom + flameBottom
	if len(gone) > 0 {
		height += goneGap + float64(goneDepth+1)*frameHeight
	}
	svgHead(&b, height, title, fmt.Sprintf("width ∝ CPU time in the new profile (%.2f s sampled; the old one: %.2f s); colour: change in share of all CPU; click a frame to zoom", headTotal/1e9, baseTotal/1e9), diffHighlight)
	diffLegend(&b, legendTop, colourScale, len(gone) > 0)

	scale := flameWidth / headTotal
	panelOpen(&b, "of the new profile's CPU")
	var draw func(f *diffFrame, x float64, level int)
	draw = func(f *diffFrame, x float64, level int) {
		w := float64(f.head) * scale
		if w < minFrame {
			return
		}
		bs, hs := share(f)
		tip := fmt.Sprintf("%s (old %.2f%%, new %.2f%%, Δ %+.2f pp; %.3f s → %.3f s)", f.name, 100*bs, 100*hs, 100*(hs-bs), float64(f.base)/1e9, float64(f.head)/1e9)
		if f.base == 0 {
			tip = fmt.Sprintf("%s (new %.2f%%, not on this path in the old profile; %.3f s)", f.name, 100*hs, float64(f.head)/1e9)
		}
		writeFrame(&b, x, mainBottom-float64(level+1)*frameHeight, w, level, tip, f.name, diffColor(hs-bs, colourScale))
		cx := x
		for _, c := range f.children {
			if c.head > 0 {
				draw(c, cx, level+1)
				cx += float64(c.head) * scale
			}
		}
	}
	draw(root, flameLeft, 0)
	b.WriteString("</g>\n")

	if len(gone) > 0 {
		goneBottom := height - flameBottom
		fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" fill="#333">Only in the old profile: %.2f%% of its CPU (%.3f s), on call paths the new profile never sampled. Width ∝ share of the old profile's CPU, on the scale above.</text>`+"\n",
			flameLeft, mainBottom+goneGap-10, 100*float64(goneValue)/baseTotal, float64(goneValue)/1e9)
		panelOpen(&b, "of the old profile's CPU, in frames only there")
		scale := flameWidth / baseTotal
		gw := float64(goneValue) * scale
		writeFrame(&b, flameLeft, goneBottom-frameHeight, gw, 0,
			fmt.Sprintf("only in the old profile (old %.2f%%; %.3f s)", 100*float64(goneValue)/baseTotal, float64(goneValue)/1e9), "only in the old profile", "rgb(200,200,200)")
		var drawGone func(f *diffFrame, x float64, level int, caller []string)
		drawGone = func(f *diffFrame, x float64, level int, caller []string) {
			w := float64(f.base) * scale
			if w < minFrame {
				return
			}
			bs, _ := share(f)
			from := make([]string, len(caller))
			for i, c := range caller {
				from[len(caller)-1-i] = ShortName(c)
			}
			tip := fmt.Sprintf("%s (old %.2f%%, not on this path in the new profile; %.3f s; called from %s)", f.name, 100*bs, float64(f.base)/1e9, strings.Join(from, " ← "))
			writeFrame(&b, x, goneBottom-float64(level+1)*frameHeight, w, level, tip, f.name, "url(#removed-hatch)")
			cx := x
			for _, c := range f.children {
				drawGone(c, cx, level+1, append(caller, f.name))
				cx += float64(c.base) * scale
			}
		}
		x := flameLeft
		for _, g := range gone {
			drawGone(g.frame, x, 1, g.caller)
			x += float64(g.frame.base) * scale
		}
		b.WriteString("</g>\n")
	}
	svgTail(&b, height)
	_, err = io.WriteString(w, b.String())
	return err
}

// WriteDiffFlameGraphFile writes the differential flame graph of base and
// head (see [WriteDiffFlameGraph]) to path, atomically: a temporary file in
// the same directory, renamed to path once complete.
func WriteDiffFlameGraphFile(path string, base, head *profile.Profile, title string) error {
	return WriteFile(path, func(w io.Writer) error { return WriteDiffFlameGraph(w, base, head, title) })
}

// diffLegend draws the colour scale and the hatch of removed frames at y.
func diffLegend(b *strings.Builder, y, colourScale float64, gone bool) {
	fmt.Fprintf(b, `<defs><pattern id="removed-hatch" patternUnits="userSpaceOnUse" width="6" height="6"><rect width="6" height="6" fill="rgb(226,234,248)"/><path d="M0,6 L6,0 M-1,1 L1,-1 M5,7 L7,5" stroke="rgb(120,155,215)" stroke-width="1"/></pattern></defs>
<g class="legend" font-size="11">
<text x="%.0f" y="%.0f" text-anchor="end">shrank %.2f pp</text>
`, flameLeft+200, y+13, -100*colourScale)
	const steps, sw = 11, 22.0
	for i := range steps {
		d := colourScale * (float64(i)/float64(steps-1)*2 - 1)
		fmt.Fprintf(b, `<rect x="%.1f" y="%.0f" width="%.0f" height="12" fill="%s"/>`+"\n", flameLeft+206+float64(i)*sw, y+3, sw, diffColor(d, colourScale))
	}
	fmt.Fprintf(b, `<text x="%.0f" y="%.0f">grew +%.2f pp</text>
<text x="%.0f" y="%.0f" fill="#555">(Δ = new − old share of all CPU)</text>
`, flameLeft+212+steps*sw, y+13, 100*colourScale, flameLeft+212+steps*sw+105, y+13)
	if gone {
		fmt.Fprintf(b, `<rect x="%.0f" y="%.0f" width="22" height="12" fill="url(#removed-hatch)"/><text x="%.0f" y="%.0f">only in the old profile (below)</text>
`, svgWidth-flameLeft-230, y+3, svgWidth-flameLeft-204, y+13)
	}
	b.WriteString("</g>\n")
}

// FrameDelta is the change in one function's share of the CPU between two
// profiles. Shares are fractions of all CPU sampled in each profile, so two
// profiles of different lengths compare.
type FrameDelta struct {
	// Name is the function's full name, as pprof prints it.
	Name string
	// Base and Head are the function's own share (flat, as in pprof -top)
	// of the base (old) and head (new) profile's CPU; Delta is Head − Base.
	Base, Head, Delta float64
	// BaseCum and HeadCum are its share with everything it calls (cum).
	BaseCum, HeadCum float64
}

// DiffFrames compares the CPU profiles base (old) and head (new) function by
// function: every function sampled in either, by Delta, largest growth
// first, ties broken by the change in cumulative share, then by name. The
// functions that shrank most are at the end (ties there still by name,
// read backwards). Frames of functions inlined
// into others count as their own functions, as in pprof. It fails on a
// profile with no CPU time sample type.
func DiffFrames(base, head *profile.Profile) ([]FrameDelta, error) {
	bs, err := functionShares(base)
	if err != nil {
		return nil, fmt.Errorf("base profile: %w", err)
	}
	hs, err := functionShares(head)
	if err != nil {
		return nil, fmt.Errorf("head profile: %w", err)
	}
	byName := map[string]*FrameDelta{}
	get := func(name string) *FrameDelta {
		d := byName[name]
		if d == nil {
			d = &FrameDelta{Name: name}
			byName[name] = d
		}
		return d
	}
	for name, s := range bs {
		d := get(name)
		d.Base, d.BaseCum = s[0], s[1]
	}
	for name, s := range hs {
		d := get(name)
		d.Head, d.HeadCum = s[0], s[1]
	}
	out := make([]FrameDelta, 0, len(byName))
	for _, d := range byName {
		d.Delta = d.Head - d.Base
		out = append(out, *d)
	}
	// Rounded to a billionth of the CPU, so that equal changes computed
	// along different float paths tie and fall back to the name.
	key := func(x float64) float64 { return math.Round(x * 1e9) }
	slices.SortFunc(out, func(a, b FrameDelta) int {
		return cmp.Or(cmp.Compare(key(b.Delta), key(a.Delta)), cmp.Compare(key(b.HeadCum-b.BaseCum), key(a.HeadCum-a.BaseCum)), cmp.Compare(a.Name, b.Name))
	})
	return out, nil
}

// functionShares returns each function's flat and cumulative share of p's
// CPU time.
func functionShares(p *profile.Profile) (map[string][2]float64, error) {
	vi, err := valueIndex(p, "cpu", "nanoseconds")
	if err != nil {
		return nil, err
	}
	flat, cum := map[string]int64{}, map[string]int64{}
	var total int64
	seen := map[string]bool{}
	for _, s := range p.Sample {
		v := s.Value[vi]
		if v <= 0 {
			continue
		}
		total += v
		clear(seen)
		leaf := true
		for _, loc := range s.Location {
			lines := loc.Line
			if len(lines) == 0 {
				lines = []profile.Line{{}}
			}
			for _, ln := range lines {
				name := funcName(loc, ln)
				if leaf {
					flat[name] += v
					leaf = false
				}
				if !seen[name] {
					seen[name] = true
					cum[name] += v
				}
			}
		}
	}
	shares := map[string][2]float64{}
	if total == 0 {
		return shares, nil
	}
	for name, c := range cum {
		shares[name] = [2]float64{float64(flat[name]) / float64(total), float64(c) / float64(total)}
	}
	return shares, nil
}
