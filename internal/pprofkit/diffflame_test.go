package pprofkit_test

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/google/pprof/profile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/internal/pprofkit"
	"github.com/conclab/conclab/internal/pprofkit/pproftest"
)

// diffPair is the base and head profile of the differential tests: between
// them main.hot grew from 50 % to 80 % of the CPU, main.cold shrank from
// 30 % to 10 %, main.gone (20 % of the old CPU) vanished and main.fresh
// (10 % of the new) appeared. The head profile has twice the samples, so
// widths drawn from the base would be visibly wrong.
func diffPair() (base, head stacks) {
	base = stacks{
		{Frames: []string{"main.hot", "main.worker", "main.main"}, Count: 50},
		{Frames: []string{"main.cold", "main.worker", "main.main"}, Count: 30},
		{Frames: []string{"main.leaf", "main.gone", "main.main"}, Count: 20},
	}
	head = stacks{
		{Frames: []string{"main.hot", "main.worker", "main.main"}, Count: 160},
		{Frames: []string{"main.cold", "main.worker", "main.main"}, Count: 20},
		{Frames: []string{"main.fresh", "main.main"}, Count: 20},
	}
	return base, head
}

// stacks are the stacks of one fake CPU profile.
type stacks []pproftest.Stack

func (s stacks) profile() *profile.Profile { return pproftest.CPU(time.Second, s...) }

// rgb parses the "rgb(r,g,b)" fill of a frame.
func rgb(t *testing.T, fill string) [3]int {
	t.Helper()
	m := regexp.MustCompile(`^rgb\((\d+),(\d+),(\d+)\)$`).FindStringSubmatch(fill)
	require.NotNil(t, m, "fill %q is an rgb() colour", fill)
	var c [3]int
	for i := range c {
		c[i], _ = strconv.Atoi(m[i+1])
	}
	return c
}

func TestDiffFlameGraph(t *testing.T) {
	base, head := diffPair()
	var buf bytes.Buffer
	require.NoError(t, pprofkit.WriteDiffFlameGraph(&buf, base.profile(), head.profile(), "hot grew, cold shrank"))
	frames := pproftest.ParseFlameGraph(t, buf.Bytes())

	named := func(name string, panel int) pproftest.SVGFrame {
		t.Helper()
		for _, f := range frames {
			if f.Panel == panel && len(f.Title) > len(name) && f.Title[:len(name)+2] == name+" (" {
				return f
			}
		}
		require.Failf(t, "frame missing", "no frame %s in panel %d", name, panel)
		return pproftest.SVGFrame{}
	}
	root := named("all", 0)
	require.InDelta(t, 1180, root.Width, 0.01, "the root spans the graph")

	t.Run("widths come from the new profile", func(t *testing.T) {
		assert.InDelta(t, 0.8*root.Width, named("main.hot", 0).Width, 0.01)
		assert.InDelta(t, 0.1*root.Width, named("main.cold", 0).Width, 0.01)
		assert.InDelta(t, 0.9*root.Width, named("main.worker", 0).Width, 0.01)
		assert.InDelta(t, 0.1*root.Width, named("main.fresh", 0).Width, 0.01)
	})
	t.Run("tooltips give the old and new share and the change", func(t *testing.T) {
		assert.Equal(t, "main.hot (old 50.00%, new 80.00%, Δ +30.00 pp; 0.500 s → 1.600 s)", named("main.hot", 0).Title)
		assert.Equal(t, "main.cold (old 30.00%, new 10.00%, Δ -20.00 pp; 0.300 s → 0.200 s)", named("main.cold", 0).Title)
		assert.Equal(t, "main.fresh (new 10.00%, not on this path in the old profile; 0.200 s)", named("main.fresh", 0).Title)
	})
	t.Run("colours: red grew, blue shrank, neutral held", func(t *testing.T) {
		assert.Equal(t, "rgb(214,39,40)", named("main.hot", 0).Fill, "the largest growth is full red")
		assert.Equal(t, "rgb(236,234,222)", named("main.main", 0).Fill, "100 % of both: neutral")
		assert.Equal(t, "rgb(236,234,222)", root.Fill, "the root never changes")
		for _, grew := range []string{"main.worker", "main.fresh"} {
			c := rgb(t, named(grew, 0).Fill)
			assert.Greater(t, c[0], c[2], "%s grew: red", grew)
		}
		c := rgb(t, named("main.cold", 0).Fill)
		assert.Greater(t, c[2], c[0], "main.cold shrank: blue")
		assert.Equal(t, [3]int{99, 145, 207}, c, "-20 pp on a scale of 30 pp: two thirds of the way to blue")
	})
	t.Run("frames only in the old profile are drawn below", func(t *testing.T) {
		for _, f := range frames {
			if f.Panel == 0 {
				assert.NotContains(t, f.Title, "main.gone", "no width in the new profile, so not in the flame graph")
			}
		}
		gone := named("main.gone", 1)
		assert.InDelta(t, 0.2*root.Width, gone.Width, 0.01, "as wide as its share of the old profile")
		assert.Equal(t, "main.gone (old 20.00%, not on this path in the new profile; 0.200 s; called from main.main ← all)", gone.Title)
		assert.Equal(t, "url(#removed-hatch)", gone.Fill, "hatched")
		leaf := named("main.leaf", 1)
		assert.InDelta(t, gone.Width, leaf.Width, 0.01, "its callees come with it")
		assert.Contains(t, buf.String(), "Only in the old profile: 20.00% of its CPU")
		assert.Contains(t, buf.String(), "only in the old profile (below)", "the legend explains the hatch")
	})
	t.Run("the legend gives the colour scale", func(t *testing.T) {
		assert.Contains(t, buf.String(), "shrank -30.00 pp")
		assert.Contains(t, buf.String(), "grew +30.00 pp")
	})
	assert.Len(t, frames, 6+3, "all, main, worker, hot, cold, fresh; the old-only strip, gone, leaf")
}

func TestDiffFlameGraphOfEqualProfilesIsNeutral(t *testing.T) {
	base, _ := diffPair()
	var buf bytes.Buffer
	require.NoError(t, pprofkit.WriteDiffFlameGraph(&buf, base.profile(), base.profile(), "A/A"))
	frames := pproftest.ParseFlameGraph(t, buf.Bytes())
	require.Len(t, frames, 7, "all, main, worker, hot, cold, gone, leaf; no old-only strip")
	for _, f := range frames {
		assert.Equal(t, "rgb(236,234,222)", f.Fill, "%s did not change", f.Title)
		assert.Equal(t, 0, f.Panel, "nothing is only in the old profile")
	}
	assert.NotContains(t, buf.String(), "Only in the old profile")
}

func TestDiffFlameGraphOfTooFewSamplesSaysSo(t *testing.T) {
	base, head := diffPair()
	few := stacks{{Frames: []string{"main.main"}, Count: 3}}
	for _, tc := range []struct {
		name       string
		base, head stacks
		want       string
	}{
		{"old too short", few, head, "too few samples (old 3, new 200)"},
		{"new too short", base, few, "too few samples (old 100, new 3)"},
		{"new empty", base, nil, "too few samples (old 100, new 0)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, pprofkit.WriteDiffFlameGraph(&buf, tc.base.profile(), tc.head.profile(), tc.name))
			assert.Empty(t, pproftest.ParseFlameGraph(t, buf.Bytes()))
			assert.Contains(t, buf.String(), tc.want)
		})
	}
}

func TestDiffFlameGraphRefusesAProfileWithoutCPU(t *testing.T) {
	base, _ := diffPair()
	mutex := pproftest.Waits(time.Second, pproftest.Wait{Frames: []string{"sync.(*Mutex).Unlock"}, Events: 1, Delay: time.Millisecond})
	var buf bytes.Buffer
	err := pprofkit.WriteDiffFlameGraph(&buf, base.profile(), mutex, "mutex")
	assert.ErrorContains(t, err, "head profile: profile has no cpu/nanoseconds samples")
	_, err = pprofkit.DiffFrames(mutex, base.profile())
	assert.ErrorContains(t, err, "base profile: profile has no cpu/nanoseconds samples")
}

func TestDiffFrames(t *testing.T) {
	base, head := diffPair()
	got, err := pprofkit.DiffFrames(base.profile(), head.profile())
	require.NoError(t, err)
	type row struct {
		name              string
		base, head, delta float64
		baseCum, headCum  float64
	}
	want := []row{
		{"main.hot", 0.5, 0.8, 0.3, 0.5, 0.8},
		{"main.fresh", 0, 0.1, 0.1, 0, 0.1},
		{"main.worker", 0, 0, 0, 0.8, 0.9},
		{"main.main", 0, 0, 0, 1, 1},
		{"main.gone", 0, 0, 0, 0.2, 0},
		{"main.cold", 0.3, 0.1, -0.2, 0.3, 0.1},
		{"main.leaf", 0.2, 0, -0.2, 0.2, 0},
	}
	require.Len(t, got, len(want))
	for i, w := range want {
		t.Run(fmt.Sprintf("%d/%s", i, w.name), func(t *testing.T) {
			g := got[i]
			assert.Equal(t, w.name, g.Name, "ordered by growth of the flat share, then of the cumulative one")
			assert.InDelta(t, w.base, g.Base, 1e-12)
			assert.InDelta(t, w.head, g.Head, 1e-12)
			assert.InDelta(t, w.delta, g.Delta, 1e-12)
			assert.InDelta(t, w.baseCum, g.BaseCum, 1e-12)
			assert.InDelta(t, w.headCum, g.HeadCum, 1e-12)
		})
	}
}

// bigProfile is a CPU profile of 4000 distinct stacks, 24 frames deep,
// from 400 functions: the size of a busy service's profile.
func bigProfile(seed int64) *profile.Profile {
	var s stacks
	for i := range int64(4000) {
		frames := make([]string, 24)
		for d := range frames {
			frames[d] = fmt.Sprintf("pkg.f%d", (i*7+int64(d)*13+seed*int64(d%3))%400)
		}
		s = append(s, pproftest.Stack{Frames: frames, Count: 1 + (i+seed)%17})
	}
	return s.profile()
}

func BenchmarkWriteDiffFlameGraph(b *testing.B) {
	base, head := bigProfile(0), bigProfile(1)
	var size int
	for b.Loop() {
		var buf bytes.Buffer
		if err := pprofkit.WriteDiffFlameGraph(&buf, base, head, "big"); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size), "svg-bytes")
}

func BenchmarkDiffFrames(b *testing.B) {
	base, head := bigProfile(0), bigProfile(1)
	for b.Loop() {
		if _, err := pprofkit.DiffFrames(base, head); err != nil {
			b.Fatal(err)
		}
	}
}
