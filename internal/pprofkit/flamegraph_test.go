package pprofkit_test

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/internal/pprofkit"
	"github.com/conclab/conclab/internal/pprofkit/pproftest"
)

func TestFlameGraph(t *testing.T) {
	p := pproftest.CPU(time.Second,
		pproftest.Stack{Frames: []string{"main.hot", "main.worker", "main.main"}, Count: 75},
		pproftest.Stack{Frames: []string{"main.cold<T>", "main.worker", "main.main"}, Count: 25},
	)
	var buf bytes.Buffer
	require.NoError(t, pprofkit.WriteFlameGraph(&buf, p, `a "title" & <more>`))
	frames := pproftest.ParseFlameGraph(t, buf.Bytes())

	root, ok := pproftest.FrameNamed(frames, "all")
	require.True(t, ok, "the root frame is drawn")
	hot, ok := pproftest.FrameNamed(frames, "main.hot")
	require.True(t, ok, "the hot function has a frame")
	assert.Contains(t, hot.Title, "0.750 s, 75.00%", "its tooltip gives its seconds and share")
	assert.InDelta(t, 0.75*root.Width, hot.Width, 0.01, "its width is its share of the samples")
	worker, ok := pproftest.FrameNamed(frames, "main.worker")
	require.True(t, ok)
	assert.InDelta(t, root.Width, worker.Width, 0.01, "stacks through one caller merge into one frame")
	_, ok = pproftest.FrameNamed(frames, "main.cold<T>")
	assert.True(t, ok, "names needing escapes survive")
	assert.Len(t, frames, 5, "all, main, worker, hot, cold")
}

func TestFlameGraphClipsLabels(t *testing.T) {
	long := "github.com/conclab/conclab/scenarios.aFunctionWithAVeryLongNameIndeedThatCannotFitInANarrowFrame"
	p := pproftest.CPU(time.Second,
		pproftest.Stack{Frames: []string{long}, Count: 2},
		pproftest.Stack{Frames: []string{"main.rest"}, Count: 98},
	)
	var buf bytes.Buffer
	require.NoError(t, pprofkit.WriteFlameGraph(&buf, p, "clip"))
	pproftest.ParseFlameGraph(t, buf.Bytes())
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
		{"one short of the minimum", pprofkit.MinFlameSamples - 1, fmt.Sprintf("too few samples (%d)", pprofkit.MinFlameSamples-1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stacks []pproftest.Stack
			if tc.samples > 0 {
				stacks = append(stacks, pproftest.Stack{Frames: []string{"runtime.stackpoolalloc", "main.main"}, Count: tc.samples})
			}
			var buf bytes.Buffer
			require.NoError(t, pprofkit.WriteFlameGraph(&buf, pproftest.CPU(time.Second, stacks...), "too short"))
			assert.Empty(t, pproftest.ParseFlameGraph(t, buf.Bytes()), "no frame is drawn")
			assert.Contains(t, buf.String(), tc.want)
		})
	}
	t.Run("the minimum", func(t *testing.T) {
		var buf bytes.Buffer
		require.NoError(t, pprofkit.WriteFlameGraph(&buf, pproftest.CPU(time.Second, pproftest.Stack{Frames: []string{"main.main"}, Count: pprofkit.MinFlameSamples}), "enough"))
		assert.Len(t, pproftest.ParseFlameGraph(t, buf.Bytes()), 2, "all and main.main")
		assert.NotContains(t, buf.String(), "too few samples")
	})
}

func TestFlameGraphIsInteractiveWithoutNetwork(t *testing.T) {
	p := pproftest.CPU(time.Second, pproftest.Stack{Frames: []string{"main.hot", "main.main"}, Count: 100})
	var buf bytes.Buffer
	require.NoError(t, pprofkit.WriteFlameGraph(&buf, p, "interactive"))
	svg := buf.String()
	assert.Equal(t, 1, strings.Count(svg, "<script>"), "one inline script")
	assert.Contains(t, svg, `class="control search"`, "a search control")
	assert.Contains(t, svg, `class="control reset"`, "a reset control")
	assert.NotRegexp(t, `(?i)(src|href)="(https?:)?//`, svg, "nothing is fetched from the network")
	assert.NotContains(t, svg, "http://www.w3.org/1999", "nothing but the SVG namespace")
}

func TestFlameGraphOfSamplesWithoutCPUTimeDrawsNothing(t *testing.T) {
	p := pproftest.CPU(time.Second, pproftest.Stack{Frames: []string{"main.main"}, Count: 20})
	for _, s := range p.Sample {
		s.Value[1] = 0 // counted, but no CPU time
	}
	var buf bytes.Buffer
	require.NoError(t, pprofkit.WriteFlameGraph(&buf, p, "no time"))
	assert.Empty(t, pproftest.ParseFlameGraph(t, buf.Bytes()))
	assert.NotContains(t, buf.String(), "NaN")
	assert.NotContains(t, buf.String(), "Inf")
	buf.Reset()
	require.NoError(t, pprofkit.WriteDiffFlameGraph(&buf, p, p, "no time"))
	assert.Empty(t, pproftest.ParseFlameGraph(t, buf.Bytes()))
	assert.NotContains(t, buf.String(), "NaN")
}
