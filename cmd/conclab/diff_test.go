package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/pprof/profile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cpuProfile returns a CPU profile with count samples of 10 ms at each
// stack, given root first as "main.main;main.worker;main.hot".
func cpuProfile(stacks map[string]int64) *profile.Profile {
	p := &profile.Profile{
		SampleType:    []*profile.ValueType{{Type: "samples", Unit: "count"}, {Type: "cpu", Unit: "nanoseconds"}},
		PeriodType:    &profile.ValueType{Type: "cpu", Unit: "nanoseconds"},
		Period:        10_000_000,
		DurationNanos: 1e9,
	}
	locs := map[string]*profile.Location{}
	for stack, count := range stacks {
		names := strings.Split(stack, ";")
		s := &profile.Sample{Value: []int64{count, count * p.Period}}
		for i := len(names) - 1; i >= 0; i-- {
			l := locs[names[i]]
			if l == nil {
				id := uint64(len(locs) + 1)
				fn := &profile.Function{ID: id, Name: names[i]}
				l = &profile.Location{ID: id, Address: 0x1000 * id, Line: []profile.Line{{Function: fn, Line: 1}}}
				locs[names[i]] = l
				p.Function = append(p.Function, fn)
				p.Location = append(p.Location, l)
			}
			s.Location = append(s.Location, l)
		}
		p.Sample = append(p.Sample, s)
	}
	return p
}

// writeProfile writes p gzipped into dir as name and returns its path.
func writeProfile(t *testing.T, dir, name string, p *profile.Profile) string {
	t.Helper()
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	require.NoError(t, err)
	require.NoError(t, p.Write(f))
	require.NoError(t, f.Close())
	return path
}

// diffProfiles writes the base and head profile of the diff tests: main.hot
// grew from 50 % to 80 % of the CPU, main.cold shrank from 30 % to 10 %,
// main.gone vanished, main.fresh appeared.
func diffProfiles(t *testing.T) (dir, base, head string) {
	dir = t.TempDir()
	base = writeProfile(t, dir, "old.pb.gz", cpuProfile(map[string]int64{
		"main.main;main.worker;main.hot":  50,
		"main.main;main.worker;main.cold": 30,
		"main.main;main.gone":             20,
	}))
	head = writeProfile(t, dir, "new.pb.gz", cpuProfile(map[string]int64{
		"main.main;main.worker;main.hot":  160,
		"main.main;main.worker;main.cold": 20,
		"main.main;main.fresh":            20,
	}))
	return dir, base, head
}

func TestDiffWritesTheGraphAndNamesWhatGrew(t *testing.T) {
	dir, base, head := diffProfiles(t)
	out := filepath.Join(dir, "graphs", "hot.svg")
	code, stdout, stderr := conclab(t, "diff", "-o", out, base, head)
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, `grew (own share of the CPU, old → new):
   +30.00 pp   50.00% →  80.00%  (with callees  50.00% →  80.00%)  main.hot
   +10.00 pp    0.00% →  10.00%  (with callees   0.00% →  10.00%)  main.fresh
shrank:
   -20.00 pp   30.00% →  10.00%  (with callees  30.00% →  10.00%)  main.cold
   -20.00 pp   20.00% →   0.00%  (with callees  20.00% →   0.00%)  main.gone
`, stdout)
	assert.Equal(t, "differential flame graph: "+out+"\n", stderr)
	svg, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Contains(t, string(svg), "main.hot (old 50.00%, new 80.00%, Δ +30.00 pp")
	assert.Contains(t, string(svg), "old.pb.gz → "+head, "titled by the two files")
	entries, err := os.ReadDir(filepath.Dir(out))
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary file left beside the graph")
}

func TestDiffTop(t *testing.T) {
	dir, base, head := diffProfiles(t)
	code, stdout, stderr := conclab(t, "diff", "-quiet", "-top", "1", "-o", filepath.Join(dir, "d.svg"), base, head)
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, stderr, "-quiet")
	assert.Regexp(t, regexp.MustCompile(`^grew.*\n.*main\.hot\nshrank:\n.*main\.cold\n$`), stdout)

	code, stdout, _ = conclab(t, "diff", "-top", "3", "-o", filepath.Join(dir, "d.svg"), base, base)
	require.Equal(t, 0, code)
	assert.Equal(t, "grew (own share of the CPU, old → new):\n  none\nshrank:\n  none\n", stdout, "a profile against itself: nothing changed")
}

func TestDiffOfTooFewSamplesWarns(t *testing.T) {
	dir, base, _ := diffProfiles(t)
	few := writeProfile(t, dir, "few.pb.gz", cpuProfile(map[string]int64{"main.main": 2}))
	code, stdout, stderr := conclab(t, "diff", "-o", filepath.Join(dir, "d.svg"), base, few)
	require.Equal(t, 0, code, stderr)
	assert.True(t, strings.HasPrefix(stdout, "too few samples (old 100, new 2): the shares below are noise\n"), stdout)
	svg, err := os.ReadFile(filepath.Join(dir, "d.svg"))
	require.NoError(t, err)
	assert.Contains(t, string(svg), "too few samples (old 100, new 2)")
}

func TestDiffBadInput(t *testing.T) {
	dir, base, head := diffProfiles(t)
	corrupt := filepath.Join(dir, "corrupt.pb.gz")
	require.NoError(t, os.WriteFile(corrupt, []byte("\x1f\x8b not really gzip"), 0o644))
	empty := filepath.Join(dir, "empty.pb.gz")
	require.NoError(t, os.WriteFile(empty, nil, 0o644))
	mutex := writeProfile(t, dir, "mutex.pb.gz", &profile.Profile{
		SampleType: []*profile.ValueType{{Type: "contentions", Unit: "count"}, {Type: "delay", Unit: "nanoseconds"}},
	})
	aFile := filepath.Join(dir, "a-file")
	require.NoError(t, os.WriteFile(aFile, nil, 0o644))
	out := filepath.Join(dir, "out.svg")
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no profiles", []string{"diff"}, 2, "conclab diff: need two profiles, OLD and NEW"},
		{"one profile", []string{"diff", base}, 2, "conclab diff: need two profiles, OLD and NEW (e.g. conclab diff old.pb.gz new.pb.gz); got 1"},
		{"three profiles", []string{"diff", base, head, head}, 2, `conclab diff: unexpected argument "` + head + `"`},
		{"negative top", []string{"diff", "-top", "-1", base, head}, 2, "conclab diff: -top -1: must be between 1 and 1000"},
		{"zero top", []string{"diff", "-top", "0", base, head}, 2, "conclab diff: -top 0: must be between 1 and 1000"},
		{"unknown flag", []string{"diff", "-x", base, head}, 2, "conclab diff: flag provided but not defined: -x"},
		{"unwritable output", []string{"diff", "-o", filepath.Join(aFile, "d.svg"), base, head}, 2, "conclab diff: cannot write to " + aFile},
		{"missing profile", []string{"diff", "-o", out, filepath.Join(dir, "nope.pb.gz"), head}, 1, "no such file or directory"},
		{"corrupt profile", []string{"diff", "-o", out, base, corrupt}, 1, "corrupt.pb.gz: not a valid pprof profile"},
		{"empty profile", []string{"diff", "-o", out, empty, head}, 1, "empty.pb.gz: empty file, not a profile"},
		{"not a CPU profile", []string{"diff", "-o", out, base, mutex}, 1, "head profile: profile has no cpu/nanoseconds samples"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := conclab(t, tc.args...)
			assert.Equal(t, tc.code, code)
			assert.Empty(t, stdout)
			assert.Contains(t, stderr, tc.want)
			assert.Equal(t, 1, strings.Count(stderr, "\n"), "one line on stderr: %q", stderr)
			assert.NoFileExists(t, out, "no graph from bad input")
		})
	}
}

func TestDiffHelp(t *testing.T) {
	code, stdout, stderr := conclab(t, "diff", "-h")
	assert.Equal(t, 0, code)
	assert.Empty(t, stderr)
	assert.Contains(t, stdout, "Usage: conclab diff [-o OUT.svg] [-top N] OLD.pb.gz NEW.pb.gz")
	assert.Contains(t, stdout, "-top")
}
