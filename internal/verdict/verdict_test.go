package verdict

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// speedup is the claim of the tests: at least 1.5× from 1 worker to 2.
var speedup = Claim{Text: "processes do", Threshold: 1.5, Unit: "×", Yes: "they do", No: "they do not"}

var quiet = Load{Other: 10 * time.Millisecond, Wall: time.Second, Known: true}

func TestJudge(t *testing.T) {
	for _, tc := range []struct {
		name     string
		claim    Claim
		num, den []float64
		load     Load
		want     Outcome
		ratio    float64
		lo, hi   float64
		reason   string
	}{
		{name: "clear-yes", claim: speedup,
			num: []float64{2.00, 2.02, 1.98, 2.01, 1.99}, den: []float64{1.00, 1.01, 0.99, 1.02, 0.98}, load: quiet,
			want: Yes, ratio: 2, lo: 1.95, hi: 2.05},
		{name: "clear-no", claim: speedup,
			num: []float64{2.00, 2.02, 1.98, 2.01, 1.99}, den: []float64{1.60, 1.61, 1.59, 1.62, 1.58}, load: quiet,
			want: No, ratio: 1.25, lo: 1.22, hi: 1.28},
		{name: "straddles-the-threshold", claim: speedup,
			num: []float64{2.0, 2.4, 1.6, 2.2, 1.8}, den: []float64{1.0, 1.6, 1.3, 1.2, 1.5}, load: quiet,
			want: Inconclusive, ratio: 2.0 / 1.3, lo: 1.125, hi: 2.0, reason: "straddles the threshold 1.5"},
		{name: "loaded-machine-never-says-no", claim: speedup,
			num: []float64{2.00, 2.02, 1.98, 2.01, 1.99}, den: []float64{1.60, 1.61, 1.59, 1.62, 1.58},
			load: Load{Other: 1300 * time.Millisecond, Wall: time.Second, Known: true},
			want: Inconclusive, ratio: 1.25, lo: 1.22, hi: 1.28, reason: "the machine was loaded: other programs kept 1.30 of"},
		{name: "too-few-runs", claim: speedup,
			num: []float64{2.0, 2.0}, den: []float64{1.0, 1.0}, load: quiet,
			want: Inconclusive, ratio: 2, lo: 2, hi: 2, reason: "2 runs are too few"},
		{name: "below/yes", claim: Claim{Text: "threads give no speed-up", Threshold: 1.2, Below: true, Unit: "×"},
			num: []float64{1.0, 1.0, 1.0}, den: []float64{0.98, 1.0, 1.01}, load: quiet,
			want: Yes, ratio: 1, lo: 0.99, hi: 1.02},
		{name: "constant-numerator", claim: Claim{Text: "waits overlap", Threshold: 100, Unit: "×"},
			num: []float64{200}, den: []float64{0.30, 0.31, 0.29}, load: quiet,
			want: Yes, ratio: 200 / 0.30, lo: 645, hi: 690},
		{name: "show-only/no-becomes-inconclusive", claim: Claim{Text: "goroutines queue for the lock", Threshold: 0.01, ShowOnly: true, MinSamples: 1},
			num: []float64{1e-9}, den: []float64{1}, load: quiet,
			want: Inconclusive, ratio: 1e-9, lo: 1e-9, hi: 1e-9, reason: "cannot refute it"},
		{name: "one-aggregate-measurement", claim: Claim{Text: "the cores are busy", Threshold: 1.5, MinSamples: 1},
			num: []float64{1.9}, den: []float64{1}, load: Load{},
			want: Yes, ratio: 1.9, lo: 1.9, hi: 1.9},
		{name: "no-measurement", claim: speedup, load: quiet,
			want: Inconclusive, reason: "no measurement"},
		{name: "garbage-measurement", claim: speedup,
			num: []float64{2, 2, -1}, den: []float64{1, 1, 1}, load: quiet,
			want: Inconclusive, reason: "not a positive number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := Judge(tc.claim, tc.num, tc.den, tc.load)
			assert.Equal(t, tc.want, v.Outcome, "outcome; interval %s, reason %q", v.Interval(), v.Reason)
			assert.InDelta(t, tc.ratio, v.Ratio, 1e-9, "the ratio of the medians")
			assert.InDelta(t, tc.lo, v.Lo, 0.01*max(1, tc.lo), "the interval's low end")
			assert.InDelta(t, tc.hi, v.Hi, 0.01*max(1, tc.hi), "the interval's high end")
			if tc.reason != "" {
				assert.Contains(t, v.Reason, tc.reason)
				assert.Equal(t, v.Reason, v.Meaning(), "an inconclusive verdict means its reason")
			} else {
				assert.Empty(t, v.Reason)
			}
		})
	}
}

func TestJudgeIsDeterministic(t *testing.T) {
	num := []float64{2.0, 2.4, 1.6, 2.2, 1.8, 2.1, 1.7}
	den := []float64{1.0, 1.6, 1.3, 1.2, 1.5, 1.1, 1.4}
	first := Judge(speedup, num, den, quiet)
	for range 5 {
		assert.Equal(t, first, Judge(speedup, num, den, quiet), "a seeded bootstrap gives the same interval every time")
	}
}

func TestVerdictString(t *testing.T) {
	v := Judge(speedup, []float64{2.00, 2.02, 1.98, 2.01, 1.99}, []float64{1.00, 1.01, 0.99, 1.02, 0.98}, quiet)
	s := v.String()
	assert.True(t, strings.HasPrefix(s, "yes "), s)
	assert.Regexp(t, `processes do: 2× \[1\.9\d*, 2\.0\d*\] ≥ 1\.5 — they do$`, s)

	one := Judge(Claim{Text: "busy", Threshold: 1.5, MinSamples: 1}, []float64{1.9}, []float64{1}, Load{})
	assert.Equal(t, "1.9 (one measurement) ≥ 1.5", one.Interval())
	assert.Equal(t, "no measurement", Judge(speedup, nil, nil, quiet).Interval())
}

func TestLoad(t *testing.T) {
	assert.False(t, Load{}.Busy(), "an unknown load decides nothing")
	assert.False(t, quiet.Busy())
	busy := Load{Other: 2 * time.Second, Wall: 2 * time.Second, Known: true}
	assert.True(t, busy.Busy(), "one competing busy process")
	sum := quiet.Add(busy)
	assert.InDelta(t, 2.01/3, sum.Cores(), 1e-9, "loads add up over their time")
	assert.Equal(t, quiet, quiet.Add(Load{}), "an unknown load adds nothing")
	assert.Equal(t, quiet, Load{}.Add(quiet))
}

func TestParseProcStat(t *testing.T) {
	const stat = "cpu  100 20 30 5000 40 5 6 7 0 0\ncpu0 50 10 15 2500 20 2 3 3 0 0\nintr 1 2 3\n"
	busy, ok := parseProcStat(strings.NewReader(stat))
	require.True(t, ok)
	assert.Equal(t, (100+20+30+5+6+7)*10*time.Millisecond, busy, "user+nice+system+irq+softirq+steal, in USER_HZ ticks")

	_, ok = parseProcStat(strings.NewReader("cpu0 1 2 3\n"))
	assert.False(t, ok, "no total line")
	_, ok = parseProcStat(strings.NewReader("cpu  x 20 30 5000 40 5 6 7 0 0\n"))
	assert.False(t, ok, "a field that is not a number")
}

// fakeClock is a machine on which each reading advances by one step: a
// second of wall time, busy seconds of the machine's CPU and own seconds
// of this process tree's.
func fakeClock(busy, own time.Duration, known bool) clock {
	var t time.Time
	var b, o time.Duration
	return clock{
		now:  func() time.Time { t = t.Add(time.Second); return t },
		busy: func() (time.Duration, bool) { b += busy; return b, known },
		own:  func() time.Duration { o += own; return o },
	}
}

func TestMeter(t *testing.T) {
	for _, tc := range []struct {
		name      string
		busy, own time.Duration
		known     bool
		want      Load
	}{
		{"quiet/our-own-busy-core-left-out", time.Second, time.Second, true, Load{Other: 0, Wall: time.Second, Known: true}},
		{"one-competing-busy-process", 2 * time.Second, time.Second, true, Load{Other: time.Second, Wall: time.Second, Known: true}},
		{"tick-rounding-below-own", 900 * time.Millisecond, time.Second, true, Load{Other: 0, Wall: time.Second, Known: true}},
		{"no-proc-stat", time.Second, 0, false, Load{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := startWith(fakeClock(tc.busy, tc.own, tc.known)).Stop()
			assert.Equal(t, tc.want, l)
			assert.Equal(t, tc.name == "one-competing-busy-process", l.Busy())
		})
	}
}

func TestMeterOnThisMachine(t *testing.T) {
	if _, ok := machineBusy(); !ok {
		t.Skip("no /proc/stat here")
	}
	l := Start().Stop()
	assert.True(t, l.Known, "Linux has /proc/stat")
	assert.GreaterOrEqual(t, l.Cores(), 0.0)
}
