package pprofkit

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"io"
	"slices"
	"strings"

	"github.com/google/pprof/profile"
)

// Flame graph geometry, in SVG pixels.
const (
	svgWidth    = 1200.0
	flameLeft   = 10.0
	flameWidth  = svgWidth - 2*flameLeft // of the root frame
	frameHeight = 17.0
	flameTop    = 40.0 // room for the title
	flameBottom = 18.0 // room for the search result
	charWidth   = 6.6  // of the 11 px monospace labels
	minFrame    = 0.3  // frames narrower than this are not drawn
)

// frame is one node of the merged stack tree: a function called along one
// path from the root, with the samples of every stack through it.
type frame struct {
	name     string
	value    int64
	children []*frame
	index    map[string]*frame
}

func (f *frame) child(name string) *frame {
	if c, ok := f.index[name]; ok {
		return c
	}
	c := &frame{name: name}
	if f.index == nil {
		f.index = map[string]*frame{}
	}
	f.index[name] = c
	f.children = append(f.children, c)
	return c
}

// stackTree merges the stacks of p's samples, weighted by the sample type
// typ/unit, into one tree rooted at "all". Inlined frames are frames of
// their own, callers below callees, as in pprof.
func stackTree(p *profile.Profile, typ, unit string) (*frame, error) {
	vi, err := valueIndex(p, typ, unit)
	if err != nil {
		return nil, err
	}
	root := &frame{name: "all"}
	for _, s := range p.Sample {
		v := s.Value[vi]
		if v <= 0 {
			continue
		}
		root.value += v
		f := root
		for i := len(s.Location) - 1; i >= 0; i-- {
			loc := s.Location[i]
			if len(loc.Line) == 0 {
				f = f.child(funcName(loc, profile.Line{}))
				f.value += v
			}
			for j := len(loc.Line) - 1; j >= 0; j-- {
				f = f.child(funcName(loc, loc.Line[j]))
				f.value += v
			}
		}
	}
	return root, nil
}

func (f *frame) depth() int {
	d := 0
	for _, c := range f.children {
		d = max(d, c.depth())
	}
	return d + 1
}

// WriteFlameGraph renders p's CPU samples as a flame graph in SVG: the
// root at the bottom, each function above its caller, each frame as wide as
// its share of the samples; children are sorted by name, so that equal
// stacks merge. Every frame carries a <title> tooltip with its full name,
// CPU seconds and share; labels are clipped to the frame's width. A small
// inline script (no network) makes the graph interactive where a browser
// runs it: clicking a frame zooms into it, Search (or the / key) highlights
// the frames matching a regular expression and prints their share of the
// CPU. Without the script (an <img>, a viewer) the graph stays a complete
// static picture. A profile with fewer than [MinFlameSamples] samples is
// not drawn: the SVG says "too few samples (N)" instead. title heads the
// graph.
func WriteFlameGraph(w io.Writer, p *profile.Profile, title string) error {
	root, err := stackTree(p, "cpu", "nanoseconds")
	if err != nil {
		return err
	}
	var b strings.Builder
	if n := SampleCount(p); n < MinFlameSamples || root.value <= 0 {
		tooFewSamples(&b, title, fmt.Sprintf("too few samples (%d): a flame graph needs at least %d", n, MinFlameSamples))
		_, err = io.WriteString(w, b.String())
		return err
	}
	height := flameTop + float64(root.depth())*frameHeight + flameBottom
	svgHead(&b, height, title, fmt.Sprintf("%.2f s of CPU sampled; width ∝ CPU time; hover a frame for its numbers, click to zoom", float64(root.value)/1e9), normalHighlight)
	scale := flameWidth / float64(root.value)
	panelOpen(&b, "of all CPU")
	var draw func(f *frame, x float64, level int)
	draw = func(f *frame, x float64, level int) {
		w := float64(f.value) * scale
		if w < minFrame {
			return
		}
		y := height - flameBottom - float64(level+1)*frameHeight
		share := 100 * float64(f.value) / float64(root.value)
		writeFrame(&b, x, y, w, level, fmt.Sprintf("%s (%.3f s, %.2f%%)", f.name, float64(f.value)/1e9, share), f.name, frameColor(f.name))
		slices.SortFunc(f.children, func(a, c *frame) int { return cmp.Compare(a.name, c.name) })
		cx := x
		for _, c := range f.children {
			draw(c, cx, level+1)
			cx += float64(c.value) * scale
		}
	}
	draw(root, flameLeft, 0)
	b.WriteString("</g>\n")
	svgTail(&b, height)
	_, err = io.WriteString(w, b.String())
	return err
}

// SampleCount is the number of samples in p: the sum of its samples/count
// values, or the number of its samples where it has no such type.
func SampleCount(p *profile.Profile) int64 {
	if i, err := valueIndex(p, "samples", "count"); err == nil {
		var n int64
		for _, s := range p.Sample {
			n += s.Value[i]
		}
		return n
	}
	return int64(len(p.Sample))
}

// clip fits label into a frame w pixels wide, ending it with ".." when cut,
// or returns "" when fewer than four characters fit.
func clip(label string, w float64) string {
	fit := int((w - 6) / charWidth)
	r := []rune(label)
	switch {
	case fit < 4:
		return ""
	case len(r) <= fit:
		return label
	}
	return string(r[:fit-2]) + ".."
}

// frameColor picks a stable colour for a function: warm hues for the
// program's code, blues for the Go runtime, greys for the root.
func frameColor(name string) string {
	h := fnv.New32a()
	h.Write([]byte(name))
	v := h.Sum32()
	switch {
	case name == "all":
		return "rgb(200,200,200)"
	case strings.HasPrefix(name, "runtime.") || strings.HasPrefix(name, "runtime/") || strings.HasPrefix(name, "internal/") || strings.HasPrefix(name, "syscall."):
		return fmt.Sprintf("rgb(%d,%d,%d)", 110+v%40, 160+(v>>8)%50, 220+(v>>16)%30)
	}
	return fmt.Sprintf("rgb(%d,%d,%d)", 225+v%30, 80+(v>>8)%120, 40+(v>>16)%50)
}
