// Package pproftest builds small pprof profiles for tests (a CPU profile
// from call stacks and sample counts, a mutex or block profile from
// contentions and delays, as runtime/pprof writes them) and reads back the
// frames of the flame graphs package pprofkit draws.
package pproftest

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/pprof/profile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Period is the sampling Period of the fake CPU profiles: 100 Hz, as Go's.
const Period = 10 * time.Millisecond

// Stack is Count samples of one call stack, leaf first. A frame written
// "inner+outer" is one location where inner was inlined into outer.
type Stack struct {
	Frames []string
	Count  int64
}

// A Builder makes profiles with one function and one location per name.
type Builder struct {
	P     *profile.Profile
	funcs map[string]*profile.Function
	locs  map[string]*profile.Location
}

// NewBuilder starts a profile of the given sample types.
func NewBuilder(types ...*profile.ValueType) *Builder {
	return &Builder{
		P:     &profile.Profile{SampleType: types, TimeNanos: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC).UnixNano()},
		funcs: map[string]*profile.Function{},
		locs:  map[string]*profile.Location{},
	}
}

func (b *Builder) fn(name string) *profile.Function {
	if f, ok := b.funcs[name]; ok {
		return f
	}
	f := &profile.Function{ID: uint64(len(b.P.Function) + 1), Name: name, SystemName: name}
	b.funcs[name] = f
	b.P.Function = append(b.P.Function, f)
	return f
}

func (b *Builder) loc(frame string) *profile.Location {
	if l, ok := b.locs[frame]; ok {
		return l
	}
	l := &profile.Location{ID: uint64(len(b.P.Location) + 1), Address: 0x1000 * uint64(len(b.P.Location)+1)}
	for name := range strings.SplitSeq(frame, "+") {
		l.Line = append(l.Line, profile.Line{Function: b.fn(name), Line: 1})
	}
	b.locs[frame] = l
	b.P.Location = append(b.P.Location, l)
	return l
}

// Sample adds one sample of values at the stack frames, leaf first.
func (b *Builder) Sample(frames []string, values ...int64) {
	s := &profile.Sample{Value: values}
	for _, f := range frames {
		s.Location = append(s.Location, b.loc(f))
	}
	b.P.Sample = append(b.P.Sample, s)
}

// CPU returns a CPU profile lasting wall whose samples are stacks, as
// runtime/pprof writes them: samples/count and cpu/nanoseconds.
func CPU(wall time.Duration, stacks ...Stack) *profile.Profile {
	b := NewBuilder(&profile.ValueType{Type: "samples", Unit: "count"}, &profile.ValueType{Type: "cpu", Unit: "nanoseconds"})
	b.P.DurationNanos = wall.Nanoseconds()
	b.P.PeriodType = &profile.ValueType{Type: "cpu", Unit: "nanoseconds"}
	b.P.Period = Period.Nanoseconds()
	for _, s := range stacks {
		b.Sample(s.Frames, s.Count, s.Count*Period.Nanoseconds())
	}
	return b.P
}

// Wait is Events contentions that waited delay in all, at one stack.
type Wait struct {
	Frames []string
	Events int64
	Delay  time.Duration
}

// Waits returns a mutex or block profile (contentions/count,
// delay/nanoseconds).
func Waits(wall time.Duration, waits ...Wait) *profile.Profile {
	b := NewBuilder(&profile.ValueType{Type: "contentions", Unit: "count"}, &profile.ValueType{Type: "delay", Unit: "nanoseconds"})
	b.P.DurationNanos = wall.Nanoseconds()
	b.P.PeriodType = &profile.ValueType{Type: "contentions", Unit: "count"}
	b.P.Period = 1
	for _, w := range waits {
		b.Sample(w.Frames, w.Events, w.Delay.Nanoseconds())
	}
	return b.P
}

// An SVGFrame is one frame of a flame graph as the SVG draws it.
type SVGFrame struct {
	Title string
	X     float64
	Width float64
	Fill  string
	// Panel counts the frame's panel: 0 for the flame graph, 1 for the
	// frames only in the old profile of a differential one.
	Panel int
}

// ParseFlameGraph checks that svg is well-formed XML with an <svg> root
// and returns its frames: every <g class="f"> with its <title> and <rect>.
func ParseFlameGraph(t testing.TB, svg []byte) []SVGFrame {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	var frames []SVGFrame
	var cur *SVGFrame
	var inTitle bool
	root := ""
	panel := -1
	var dataX, dataW float64
	attr := func(e xml.StartElement, name string) string {
		for _, a := range e.Attr {
			if a.Name.Local == name {
				return a.Value
			}
		}
		return ""
	}
	number := func(s string) float64 {
		f, err := strconv.ParseFloat(s, 64)
		require.NoError(t, err)
		return f
	}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err, "the flame graph is well-formed XML")
		switch tok := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = tok.Name.Local
			}
			switch tok.Name.Local {
			case "g":
				switch attr(tok, "class") {
				case "panel":
					panel++
				case "f":
					cur = &SVGFrame{Panel: panel}
					dataX, dataW = number(attr(tok, "data-x")), number(attr(tok, "data-w"))
				}
			case "title":
				inTitle = cur != nil
			case "rect":
				if cur != nil {
					cur.X, cur.Width, cur.Fill = number(attr(tok, "x")), number(attr(tok, "width")), attr(tok, "fill")
					assert.InDelta(t, dataX, cur.X, 0.006, "the script zooms from the frame's own x")
					assert.InDelta(t, dataW, cur.Width, 0.006, "the script zooms from the frame's own width")
				}
			}
		case xml.CharData:
			if inTitle {
				cur.Title += string(tok)
			}
		case xml.EndElement:
			switch tok.Name.Local {
			case "title":
				inTitle = false
			case "g":
				if cur != nil {
					frames = append(frames, *cur)
					cur = nil
				}
			}
		}
	}
	require.Equal(t, "svg", root, "the root element is <svg>")
	return frames
}

// FrameNamed returns the first frame whose tooltip starts with name.
func FrameNamed(frames []SVGFrame, name string) (SVGFrame, bool) {
	for _, f := range frames {
		if strings.HasPrefix(f.Title, name+" (") {
			return f, true
		}
	}
	return SVGFrame{}, false
}
