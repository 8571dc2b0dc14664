package profiling_test

import (
	"bytes"
	"encoding/xml"
	"errors"
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
	width float64
}

// parseFlameGraph checks that svg is well-formed XML with an <svg> root
// and returns its frames: every <g> with a <title> and a <rect>.
func parseFlameGraph(t *testing.T, svg []byte) []svgFrame {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	var frames []svgFrame
	var cur *svgFrame
	var inTitle bool
	root := ""
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
				cur = &svgFrame{}
			case "title":
				inTitle = cur != nil
			case "rect":
				if cur != nil {
					for _, a := range tok.Attr {
						if a.Name.Local == "width" {
							cur.width, err = strconv.ParseFloat(a.Value, 64)
							require.NoError(t, err)
						}
					}
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
				frames = append(frames, *cur)
				cur = nil
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

func TestFlameGraphOfAnEmptyProfile(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, profiling.WriteFlameGraph(&buf, fakeCPU(time.Second), "nothing sampled"))
	parseFlameGraph(t, buf.Bytes())
}
