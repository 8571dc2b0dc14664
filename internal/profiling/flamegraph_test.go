package profiling_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/internal/profiling"
)

// svgFrame is one frame of a flame graph as the SVG draws it.
type svgFrame struct {
	title string
	x     float64
	width float64
	fill  string
	// panel counts the frame's panel: 0 for the flame graph, 1 for the
	// frames only in the old profile of a differential one.
	panel int
}

// parseFlameGraph checks that svg is well-formed XML with an <svg> root
// and returns its frames: every <g class="f"> with its <title> and <rect>.
func parseFlameGraph(t *testing.T, svg []byte) []svgFrame {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	var frames []svgFrame
	var cur *svgFrame
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
					cur = &svgFrame{panel: panel}
					dataX, dataW = number(attr(tok, "data-x")), number(attr(tok, "data-w"))
				}
			case "title":
				inTitle = cur != nil
			case "rect":
				if cur != nil {
					cur.x, cur.width, cur.fill = number(attr(tok, "x")), number(attr(tok, "width")), attr(tok, "fill")
					assert.InDelta(t, dataX, cur.x, 0.006, "the script zooms from the frame's own x")
					assert.InDelta(t, dataW, cur.width, 0.006, "the script zooms from the frame's own width")
				}
			}
		case xml.CharData:
			if inTitle {
				cur.title += string(tok)
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

// frameNamed returns the first frame whose tooltip starts with name.
func frameNamed(frames []svgFrame, name string) (svgFrame, bool) {
	for _, f := range frames {
		if strings.HasPrefix(f.title, name+" (") {
			return f, true
		}
	}
	return svgFrame{}, false
}

func TestFlameGraph(t *testing.T) {
	p := fakeCPU(time.Second,
		stack{[]string{"main.hot", "main.worker", "main.main"}, 75},
		stack{[]string{"main.cold<T>", "main.worker", "main.main"}, 25},
	)
	var buf bytes.Buffer
	require.NoError(t, profiling.WriteFlameGraph(&buf, p, `a "title" & <more>`))
	frames := parseFlameGraph(t, buf.Bytes())

	root, ok := frameNamed(frames, "all")
	require.True(t, ok, "the root frame is drawn")
	hot, ok := frameNamed(frames, "main.hot")
	require.True(t, ok, "the hot function has a frame")
	assert.Contains(t, hot.title, "0.750 s, 75.00%", "its tooltip gives its seconds and share")
	assert.InDelta(t, 0.75*root.width, hot.width, 0.01, "its width is its share of the samples")
	worker, ok := frameNamed(frames, "main.worker")
	require.True(t, ok)
	assert.InDelta(t, root.width, worker.width, 0.01, "stacks through one caller merge into one frame")
	_, ok = frameNamed(frames, "main.cold<T>")
	assert.True(t, ok, "names needing escapes survive")
	assert.Len(t, frames, 5, "all, main, worker, hot, cold")
}

func TestFlameGraphClipsLabels(t *testing.T) {
	long := "github.com/conclab/conclab/scenarios.aFunctionWithAVeryLongNameIndeedThatCannotFitInANarrowFrame"
	p := fakeCPU(time.Second,
		stack{[]string{long}, 2},
		stack{[]string{"main.rest"}, 98},
	)
	var buf bytes.Buffer
	require.NoError(t, profiling.WriteFlameGraph(&buf, p, "clip"))
	parseFlameGraph(t, buf.Bytes())
	labels := regexp.MustCompile(`<text [^>]*>([^<]*)</text>`).FindAllStringSubmatch(buf.String(), -1)
	for _, l := range labels {
		assert.NotContains(t, l[1], "VeryLongNameIndeedThatCannotFit", "a narrow frame's label is clipped")
	}
	assert.Contains(t, buf.String(), "<title>"+long+" (", "the tooltip keeps the full name")
}

func TestFlameGraphOfTooFewSamplesSaysSo(t *testing.T) {
	for _, tc := range []struct {
		name    string
		samples int64
		want    string
	}{
		{"no samples", 0, "too few samples (0)"},
		{"one sample", 1, "too few samples (1)"},
		{"one short of the minimum", profiling.MinSamples - 1, fmt.Sprintf("too few samples (%d)", profiling.MinSamples-1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stacks []stack
			if tc.samples > 0 {
				stacks = append(stacks, stack{[]string{"runtime.stackpoolalloc", "main.main"}, tc.samples})
			}
			var buf bytes.Buffer
			require.NoError(t, profiling.WriteFlameGraph(&buf, fakeCPU(time.Second, stacks...), "too short"))
			assert.Empty(t, parseFlameGraph(t, buf.Bytes()), "no frame is drawn")
			assert.Contains(t, buf.String(), tc.want)
		})
	}
	t.Run("the minimum", func(t *testing.T) {
		var buf bytes.Buffer
		require.NoError(t, profiling.WriteFlameGraph(&buf, fakeCPU(time.Second, stack{[]string{"main.main"}, profiling.MinSamples}), "enough"))
		assert.Len(t, parseFlameGraph(t, buf.Bytes()), 2, "all and main.main")
		assert.NotContains(t, buf.String(), "too few samples")
	})
}

func TestFlameGraphIsInteractiveWithoutNetwork(t *testing.T) {
	p := fakeCPU(time.Second, stack{[]string{"main.hot", "main.main"}, 100})
	var buf bytes.Buffer
	require.NoError(t, profiling.WriteFlameGraph(&buf, p, "interactive"))
	svg := buf.String()
	assert.Equal(t, 1, strings.Count(svg, "<script>"), "one inline script")
	assert.Contains(t, svg, `class="control search"`, "a search control")
	assert.Contains(t, svg, `class="control reset"`, "a reset control")
	assert.NotRegexp(t, `(?i)(src|href)="(https?:)?//`, svg, "nothing is fetched from the network")
	assert.NotContains(t, svg, "http://www.w3.org/1999", "nothing but the SVG namespace")
}

func TestFlameGraphOfSamplesWithoutCPUTimeDrawsNothing(t *testing.T) {
	p := fakeCPU(time.Second, stack{[]string{"main.main"}, 20})
	for _, s := range p.Sample {
		s.Value[1] = 0 // counted, but no CPU time
	}
	var buf bytes.Buffer
	require.NoError(t, profiling.WriteFlameGraph(&buf, p, "no time"))
	assert.Empty(t, parseFlameGraph(t, buf.Bytes()))
	assert.NotContains(t, buf.String(), "NaN")
	assert.NotContains(t, buf.String(), "Inf")
	buf.Reset()
	require.NoError(t, profiling.WriteDiffFlameGraph(&buf, p, p, "no time"))
	assert.Empty(t, parseFlameGraph(t, buf.Bytes()))
	assert.NotContains(t, buf.String(), "NaN")
}
