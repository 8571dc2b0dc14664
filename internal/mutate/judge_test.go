package main

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/internal/pprofkit"
)

// fakeGo stands for go test: on the mutated tree (an overlay) the tests in
// fails fail, on the unmutated tree the tests in broken do; every run is
// recorded.
type fakeGo struct {
	mu     sync.Mutex
	fails  map[string]string // test → package that holds it, failing under the mutation
	broken map[string]bool   // tests that fail on the unmutated tree too
	hangs  map[string]bool   // tests that hang under the mutation
	crash  bool              // the failing tests crash the binary instead
	runs   []testRun
}

func (f *fakeGo) run(r testRun) outcome {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.runs = append(f.runs, r)
	matches := func(test string) bool { return r.run == "" || strings.Contains(r.run, test) }
	for _, test := range slices.Sorted(maps.Keys(f.fails)) { // in order, as go test runs them
		if pkg := f.fails[test]; !matches(test) || !slices.Contains(r.pkgs, pkg) {
			continue
		}
		if r.overlay == "" && !f.broken[test] {
			continue
		}
		if f.hangs[test] && r.overlay != "" {
			return outcome{status: "hang", by: "test binary timeout in " + test, tests: []string{test}}
		}
		if f.crash {
			return outcome{status: "caught", by: "crash: panic: boom", tests: []string{test}}
		}
		return outcome{status: "caught", by: test, tests: []string{test}}
	}
	return outcome{status: "SURVIVED"}
}

// newJudge returns a judge of one mutation of ./a, whose tests are linked
// by ./a (TestOwn, TestOld) and ./b (TestReal, TestSlow).
func newJudge(t *testing.T, f *fakeGo, h hints) (*judge, mutation) {
	root := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(root, "a"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(root, "a", "a.go"), []byte("package a\n"), 0o644))
	j := &judge{
		root: root, tmp: t.TempDir(),
		linkers: func(string) []string { return []string{"./a", "./b"} },
		index:   testIndex{"./a": {"TestOwn": true, "TestOld": true}, "./b": {"TestReal": true, "TestSlow": true}},
		hints:   h, equivalent: map[string]string{"eq": "nothing can tell"},
		run: f.run, base: newBaseline(f.run),
	}
	return j, mutation{id: "m", file: "a/a.go", edits: one("package a\n", "package a // mutated\n")}
}

func TestJudgeTrustsAHintThatCatches(t *testing.T) {
	f := &fakeGo{fails: map[string]string{"TestReal": "./b"}}
	j, m := newJudge(t, f, hints{"m": {"TestReal"}})
	v := j.verdict(m)
	assert.Equal(t, "caught", v.status)
	assert.Equal(t, "TestReal", v.by)
	assert.Equal(t, "hint", v.how)
	require.Len(t, f.runs, 2, "the hinted test under the mutation, then on the unmutated tree")
	assert.Equal(t, []string{"./b"}, f.runs[0].pkgs, "only the package that holds the hinted test")
	assert.Equal(t, "^(TestReal)$", f.runs[0].run)
	assert.Empty(t, f.runs[1].overlay, "the baseline runs the unmutated tree")
}

// A stale hint costs a run, never the verdict: the full run still finds
// the test that catches the mutation now.
func TestJudgeFallsBackWhenTheHintIsStale(t *testing.T) {
	for _, tc := range []struct {
		name  string
		hint  []string
		hangs map[string]bool
	}{
		{"hinted test passes", []string{"TestOld"}, nil},
		{"hinted test is gone", []string{"TestRenamed"}, nil},
		{"hinted test hangs", []string{"TestSlow"}, map[string]bool{"TestSlow": true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeGo{fails: map[string]string{"TestReal": "./b", "TestSlow": "./b"}, hangs: tc.hangs}
			if tc.hangs == nil {
				delete(f.fails, "TestSlow")
			}
			j, m := newJudge(t, f, hints{"m": tc.hint})
			v := j.verdict(m)
			assert.Equal(t, "full", v.how)
			assert.Equal(t, "caught", v.status)
			assert.Contains(t, v.by, "Test")
			assert.NotEqual(t, "hang", v.status)
		})
	}
}

func TestJudgeWithoutHintsRunsOwnPackageFirst(t *testing.T) {
	f := &fakeGo{fails: map[string]string{"TestReal": "./b"}}
	j, m := newJudge(t, f, nil)
	v := j.verdict(m)
	assert.Equal(t, "caught", v.status)
	require.GreaterOrEqual(t, len(f.runs), 2)
	assert.Equal(t, []string{"./a"}, f.runs[0].pkgs)
	assert.Equal(t, []string{"./b"}, f.runs[1].pkgs)
	assert.Equal(t, []string{"TestReal"}, v.tests)
}

// Negative control: a test that fails on the unmutated tree too proves
// nothing, whether hinted or found by the full run.
func TestJudgeRefusesACatchTheBaselineFails(t *testing.T) {
	for _, h := range []hints{nil, {"m": {"TestReal"}}} {
		f := &fakeGo{fails: map[string]string{"TestReal": "./b"}, broken: map[string]bool{"TestReal": true}}
		j, m := newJudge(t, f, h)
		v := j.verdict(m)
		assert.Equal(t, "unjudged", v.status)
		assert.Contains(t, v.by, "the unmutated tree fails TestReal in ./b too")
	}
}

// A crash in a full run may come from any of its tests: the baseline is
// then the whole of its packages. Found by the hinted test alone, the
// crash needs only that test's baseline.
func TestJudgeBaselinesTheWholeRunOfACrash(t *testing.T) {
	for _, tc := range []struct {
		name string
		h    hints
		want testRun
	}{
		{"full run", nil, testRun{pkgs: []string{"./b"}}},
		{"hinted run", hints{"m": {"TestReal"}}, testRun{run: "^(TestReal)$", pkgs: []string{"./b"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeGo{fails: map[string]string{"TestReal": "./b"}, crash: true}
			j, m := newJudge(t, f, tc.h)
			v := j.verdict(m)
			assert.Equal(t, "caught", v.status)
			assert.Equal(t, []string{"TestReal"}, v.tests, "the hint to record")
			assert.Equal(t, tc.want, f.runs[len(f.runs)-1], "the baseline")
		})
	}
}

func TestJudgeSkipsEquivalentsUnlessAsked(t *testing.T) {
	f := &fakeGo{}
	j, m := newJudge(t, f, nil)
	m.id = "eq"
	v := j.verdict(m)
	assert.Equal(t, verdict{m: m, status: "equivalent (not run)", by: "nothing can tell"}, v)
	assert.Empty(t, f.runs)

	perf := m
	perf.id, perf.perfOnly = "slow", "costs time"
	assert.Equal(t, "perf-only (not run)", j.verdict(perf).status)
	assert.Empty(t, f.runs)

	j.equivalents = true
	assert.Equal(t, "equivalent", j.verdict(m).status, "run, it survives, and is listed")
	assert.Equal(t, "perf-only", j.verdict(perf).status)
	assert.NotEmpty(t, f.runs)
}

// Positive control: a mutation no test catches survives, even if listed
// nowhere.
func TestJudgeReportsASurvivor(t *testing.T) {
	f := &fakeGo{}
	j, m := newJudge(t, f, hints{"m": {"TestOwn"}})
	v := j.verdict(m)
	assert.Equal(t, "SURVIVED", v.status)
	assert.Equal(t, "full", v.how)
}

// TestBaselineChecksEachTestOnce: however many mutations credit a test at
// once, the unmutated tree runs it once and every caller waits for that
// run's answer.
func TestBaselineChecksEachTestOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		var mu sync.Mutex
		var runs []testRun
		b := newBaseline(func(r testRun) outcome {
			mu.Lock()
			runs = append(runs, r)
			mu.Unlock()
			<-release
			if strings.Contains(r.run, "TestBad") {
				return outcome{status: "caught", by: "TestBad"}
			}
			return outcome{status: "SURVIVED"}
		})
		errs := make([]error, 8)
		var wg sync.WaitGroup
		for i := range errs {
			wg.Go(func() { errs[i] = b.verify([]string{"./p"}, []string{"TestGood"}) })
		}
		synctest.Wait()
		close(release)
		wg.Wait()
		for _, err := range errs {
			assert.NoError(t, err)
		}
		assert.Len(t, runs, 1)
		require.NoError(t, b.verify([]string{"./p"}, []string{"TestGood"}))
		assert.Len(t, runs, 1, "checked already")
		assert.ErrorContains(t, b.verify([]string{"./p"}, []string{"TestGood", "TestBad"}), "TestBad in ./p")
		assert.Equal(t, "^(TestBad)$", runs[1].run, "only what was not checked yet")
		assert.Error(t, b.verify([]string{"./p"}, []string{"TestBad"}), "a failed check stays failed")
	})
}

// TestBaselineClaimMakesLaterCallsWait: the run's baseline of the hinted
// tests claims them before the mutations start, so a catch by one waits
// for that run rather than starting its own.
func TestBaselineClaimMakesLaterCallsWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		runs := 0
		b := newBaseline(func(testRun) outcome { runs++; return outcome{status: "SURVIVED"} })
		checkHinted := b.claim([]string{"./p"}, []string{"TestA"})
		verified := make(chan error, 1)
		go func() { verified <- b.verify([]string{"./p"}, []string{"TestA"}) }()
		synctest.Wait()
		require.Zero(t, runs, "the later call waits for the claimed check")
		require.Empty(t, verified)
		require.NoError(t, checkHinted())
		assert.NoError(t, <-verified)
		assert.Equal(t, 1, runs)
	})
}

func TestHintsRoundTripAndUpdate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hints.txt")
	h, err := readHints(path)
	require.NoError(t, err, "a missing file is no hints")
	assert.Empty(t, h)

	h = hints{"a": {"TestA"}, "b": {"TestB"}, "c": {"TestC"}}
	u := h.update([]verdict{
		{m: mutation{id: "a"}, status: "caught", tests: []string{"TestA2", "ExampleA"}},
		{m: mutation{id: "b"}, status: "SURVIVED"},
		{m: mutation{id: "c"}, status: "caught", by: "crash: panic"},
		{m: mutation{id: "d"}, status: "caught", tests: []string{"TestD"}},
	})
	assert.Equal(t, hints{"a": {"TestA2", "ExampleA"}, "c": {"TestC"}, "d": {"TestD"}}, u)
	assert.Equal(t, hints{"a": {"TestA"}, "b": {"TestB"}, "c": {"TestC"}}, h, "update leaves h alone")
	require.NoError(t, pprofkit.WriteBytes(path, u.marshal()))
	got, err := readHints(path)
	require.NoError(t, err)
	assert.Equal(t, u, got)

	require.NoError(t, os.WriteFile(path, []byte("no tab here\n"), 0o644))
	_, err = readHints(path)
	assert.ErrorContains(t, err, ":1: want id<TAB>")
}

func TestIndexTestsAndHolding(t *testing.T) {
	root := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(root, "p"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(root, "p", "p_test.go"), []byte("package p\n\nimport \"testing\"\n\nfunc TestA(t *testing.T) {}\nfunc ExampleB() {}\nfunc helper() {}\n"), 0o644))
	idx, err := indexTests(root, []string{"./p", "./q"})
	require.NoError(t, err)
	assert.Equal(t, map[string]bool{"TestA": true, "ExampleB": true}, idx["./p"])
	assert.Equal(t, []string{"./p"}, idx.holding([]string{"ExampleB", "TestZ"}, []string{"./q", "./p"}))
	assert.Empty(t, idx.holding([]string{"helper"}, []string{"./p"}))
}
