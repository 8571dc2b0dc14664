package instrument_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/conclab/conclab/internal/gotool"
	"github.com/conclab/conclab/internal/hunt/instrument"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.Cleanup(func(code int) {
		if kernels.work != "" {
			os.RemoveAll(kernels.work)
		}
		os.Exit(code)
	}))
}

const kernelsDir = "testdata/kernels"

var kernels struct {
	once sync.Once
	bin  string
	work string
}

// kernelsBin builds the hunted test binary of testdata/kernels once.
func kernelsBin(t *testing.T) string {
	t.Helper()
	kernels.once.Do(func() {
		work, err := os.MkdirTemp("", "instrument-kernels-")
		require.NoError(t, err)
		kernels.work = work
		kernels.bin = buildHunted(t, work, kernelsDir, ".", instrument.Options{})
	})
	if kernels.bin == "" {
		t.Fatal("the kernels did not build")
	}
	return kernels.bin
}

func TestHooks(t *testing.T) {
	bin := kernelsBin(t)
	tests := []struct {
		test   string
		kind   string // "" = no finding
		exit   int
		marker string // a line every finding's text must name
		has    string
		env    string
	}{
		{test: "TestMainRan"},
		{test: "TestABBA", kind: "lock-order", has: "lock-order cycle"},
		{test: "TestOrdered"},
		{test: "TestGuarded"},
		{test: "TestReadReadOrder"},
		{test: "TestReadWriteOrder", kind: "lock-order", has: "lock-order cycle"},
		{test: "TestDoubleLock", kind: "lock-order", exit: 3, has: "already holds"},
		{test: "TestHandoff"},
		{test: "TestRecursiveRLock", kind: "lock-order", has: "recursive RLock"},
		{test: "TestRLockers"},
		{test: "TestCond"},
		{test: "TestBubble", env: "CONCLAB_HUNT_YIELD=1"},
		{test: "TestLeak", kind: "leak", marker: "leak-send"},
		{test: "TestLeak", env: "CONCLAB_HUNT_LEAKS=off"}, // hunt's runs after a leak was found
		{test: "TestNoLeak"},
		{test: "TestLeakViaHelper", kind: "leak", marker: "helper-send"},
		{test: "TestParallelLeak", kind: "leak", has: "TestParallelLeak"},
		{test: "TestOthersParallel"},
		{test: "TestLateExit"},
		{test: "TestDeadlock", kind: "deadlock", exit: 3, marker: "deadlock-b", has: "wait-for cycle"},
		{test: "TestChanDeadlock", kind: "deadlock", exit: 3, marker: "chan-deadlock"},
		{test: "TestSlow"},
		{test: "TestTimerWait"},
		{test: "TestTimerWait", env: "CONCLAB_HUNT_STALL=70ms", kind: "deadlock", exit: 3}, // a timer beyond 10 stalls is a safety net
		{test: "TestTickerRange"},
		{test: "TestExternalLeak", kind: "leak", has: "select (no cases)"},
		{test: "TestExternalClean"},
	}
	for _, tt := range tests {
		t.Run(strings.TrimPrefix(tt.test, "Test")+tt.env, func(t *testing.T) {
			t.Parallel()
			env := tt.env
			if env == "" {
				env = "CONCLAB_HUNT_YIELD=0.2"
			}
			r := runHunted(t, bin, kernelsDir, tt.test, env, "-test.count=3")
			assert.Equal(t, tt.exit, r.exit, r.output)
			assert.NotContains(t, r.output, "DATA RACE")
			if tt.kind == "" {
				assert.Empty(t, r.findings, r.output)
				return
			}
			require.NotEmpty(t, r.findings, r.output)
			kinds := map[string]bool{}
			for _, f := range r.findings {
				kinds[f.Kind] = true
				assert.Equal(t, tt.test, f.Test)
				assert.Equal(t, 1+uint64(f.Iteration), f.Seed)
				assert.NotEmpty(t, f.Stacks)
			}
			require.True(t, kinds[tt.kind], "findings %+v", r.findings)
			last := r.findings[len(r.findings)-1]
			if tt.marker != "" {
				file := filepath.Join(kernelsDir, "kernels_test.go")
				want := "kernels_test.go:" + strconv.Itoa(lineOf(t, file, tt.marker))
				assert.Contains(t, last.Message, want)
			}
			assert.Contains(t, last.Message, tt.has)
		})
	}
}

// TestIterations checks that iteration i of -test.count reports seed+i.
func TestIterations(t *testing.T) {
	bin := kernelsBin(t)
	r := runHunted(t, bin, kernelsDir, "TestLeak", "CONCLAB_HUNT_SEED=40", "CONCLAB_HUNT_GRACE=50ms", "-test.count=3")
	require.Len(t, r.findings, 3, r.output)
	for i, f := range r.findings {
		assert.Equal(t, i, f.Iteration)
		assert.Equal(t, uint64(40+i), f.Seed)
	}
}

// TestAttribution runs two parallel tests in one process: the goroutines
// one leaks are not the other's.
func TestAttribution(t *testing.T) {
	bin := kernelsBin(t)
	r := runHunted(t, bin, kernelsDir, "(TestParallelLeak|TestOthersParallel)")
	require.NotEmpty(t, r.findings, r.output)
	for _, f := range r.findings {
		assert.Equal(t, "TestParallelLeak", f.Test)
	}
}

// TestPlain runs the hunted binary without the environment: every passing
// test passes unchanged and nothing is reported.
func TestPlain(t *testing.T) {
	bin := kernelsBin(t)
	cmd := exec.Command(bin, "-test.run", "^Test(MainRan|ABBA|Ordered|Guarded|Handoff|RecursiveRLock|RLockers|Cond|Leak|NoLeak|LateExit|External.*)$")
	cmd.Dir = kernelsDir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CONCLAB_HUNT_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.NotContains(t, string(out), "conclab-hunt")
}

// TestRaceNotMasked runs two goroutines that race on a variable while each
// holds a different instrumented mutex, with every hook on: the race
// detector must still see the race, at the original line.
func TestRaceNotMasked(t *testing.T) {
	bin := kernelsBin(t)
	for seed := 1; seed <= 3; seed++ {
		r := runHunted(t, bin, kernelsDir, "TestRace", "CONCLAB_HUNT_YIELD=0.5", "CONCLAB_HUNT_SEED="+strconv.Itoa(seed))
		require.Contains(t, r.output, "WARNING: DATA RACE")
		line := lineOf(t, filepath.Join(kernelsDir, "kernels_test.go"), "race")
		assert.Contains(t, r.output, "kernels_test.go:"+strconv.Itoa(line))
		assert.NotContains(t, r.output, "conclabhuntrt/", "a race inside the runtime")
	}
}

// TestUserTreeUntouched checks that instrumenting writes only in workDir.
func TestUserTreeUntouched(t *testing.T) {
	before := snapshotTree(t, kernelsDir)
	pkgs := goList(t, kernelsDir, ".")
	b, err := instrument.Instrument(t.TempDir(), pkgs, instrument.Options{})
	require.NoError(t, err)
	assert.Empty(t, b.ModFile)
	assert.Equal(t, before, snapshotTree(t, kernelsDir))
	_, err = os.Stat(filepath.Join("..", "..", "..", instrument.RuntimeName))
	assert.True(t, os.IsNotExist(err), "runtime written into the module")
}

func snapshotTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	require.NoError(t, filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		files[path] = string(data)
		return err
	}))
	return files
}

// TestOldGo hunts a module whose go.mod says go 1.16: the runtime compiles
// at that language version.
func TestOldGo(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("testdata", "oldgo")
	bin := buildHunted(t, t.TempDir(), dir, ".", instrument.Options{})
	r := runHunted(t, bin, dir, "TestRun", "CONCLAB_HUNT_YIELD=0.3")
	assert.Zero(t, r.exit, r.output)
	assert.Empty(t, r.findings)
	r = runHunted(t, bin, dir, "TestLeak")
	require.Len(t, r.findings, 1, r.output)
	assert.Equal(t, "leak", r.findings[0].Kind)
}

// TestModuleCache hunts golang.org/x/sync/errgroup, a dependency in the
// module cache, from this module: a well-tested package reports nothing.
func TestModuleCache(t *testing.T) {
	t.Parallel()
	gomod, err := gotool.Env(t.Context(), "", "GOMOD")
	require.NoError(t, err)
	pkgs := goList(t, ".", "golang.org/x/sync/errgroup")
	_, err = instrument.Overlay(t.TempDir(), pkgs)
	require.ErrorContains(t, err, "module cache")

	work := t.TempDir()
	bin := buildHunted(t, work, ".", "golang.org/x/sync/errgroup", instrument.Options{GoMod: gomod})
	r := runHunted(t, bin, ".", "Test.*", "CONCLAB_HUNT_YIELD=0.2")
	assert.Zero(t, r.exit, r.output)
	assert.Empty(t, r.findings, r.output)
}
