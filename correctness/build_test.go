package correctness

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/conclab/conclab/internal/gotool"
)

// childTimeout bounds every child process a test starts, so that a broken
// child fails the test instead of hanging it.
const childTimeout = 2 * time.Minute

// built caches the -race binaries of the programs under testdata/, built
// once per test process: -count=20 runs each race test twenty times, and
// linking twenty times would dominate the suite. TestMain removes the
// directory when the tests are done.
var built struct {
	sync.Mutex
	dir  string
	bins map[string]buildResult
}

type buildResult struct {
	path string
	skip string // why the race detector is unavailable, or ""
	out  string // the go command's output when the build failed
	err  error
}

func removeBuilt() {
	built.Lock()
	defer built.Unlock()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
}

// raceUnsupported matches the go command's refusal to build with -race.
var raceUnsupported = regexp.MustCompile(`-race requires cgo|-race is not supported|race detector is not supported|unsupported`)

// buildRace builds the program in testdata/<name> with -race and returns the
// binary. It skips the test, saying why, where the race detector is not
// available (no cgo, unsupported platform, no go command): a race test that
// cannot run must never pass silently.
func buildRace(t *testing.T, name string) string {
	t.Helper()
	built.Lock()
	defer built.Unlock()
	r, ok := built.bins[name]
	if !ok {
		r = buildRaceLocked(name)
		if built.bins == nil {
			built.bins = map[string]buildResult{}
		}
		built.bins[name] = r
	}
	switch {
	case r.skip != "":
		t.Skipf("race detector unavailable, cannot prove that %s races: %s", name, r.skip)
	case r.err != nil:
		t.Fatalf("go build -race ./testdata/%s: %v\n%s", name, r.err, r.out)
	}
	return r.path
}

func buildRaceLocked(name string) buildResult {
	if _, err := exec.LookPath("go"); err != nil {
		return buildResult{skip: "no go command: " + err.Error()}
	}
	ctx, cancel := context.WithTimeout(context.Background(), childTimeout)
	defer cancel()
	if cgo, err := gotool.Env(ctx, "", "CGO_ENABLED"); err == nil && cgo != "1" {
		return buildResult{skip: "CGO_ENABLED=" + cgo + " (the race detector needs cgo on " + runtime.GOOS + ")"}
	}
	if built.dir == "" {
		dir, err := os.MkdirTemp("", "conclab-race-")
		if err != nil {
			return buildResult{err: err}
		}
		built.dir = dir
	}
	bin := filepath.Join(built.dir, name)
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	out, err := gotool.Go(ctx, "", "build", "-race", "-o", bin, "./testdata/"+name).CombinedOutput()
	if err != nil {
		if raceUnsupported.Match(out) {
			return buildResult{skip: strings.TrimSpace(string(out))}
		}
		return buildResult{out: string(out), err: err}
	}
	return buildResult{path: bin}
}

// runChild runs bin with args under a clean environment plus env, and returns
// its combined output and exit status. GODEBUG, GOMAXPROCS and GORACE from
// the parent are dropped so that they cannot change the child's report.
func runChild(t *testing.T, bin string, args []string, env ...string) (out string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), childTimeout)
	defer cancel()
	cmd := gotool.Command(ctx, "", bin, args...)
	cmd.Env = slices.DeleteFunc(cmd.Env, func(kv string) bool {
		return strings.HasPrefix(kv, "GODEBUG=") || strings.HasPrefix(kv, "GOMAXPROCS=") || strings.HasPrefix(kv, "GORACE=")
	})
	cmd.Env = append(cmd.Env, env...)
	b, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("%s %s: no exit within %v (hung?)\n%s", filepath.Base(bin), strings.Join(args, " "), childTimeout, b)
	}
	if exit, ok := errors.AsType[*exec.ExitError](err); ok {
		return string(b), exit.ExitCode()
	}
	if err != nil {
		t.Fatalf("%s: %v", bin, err)
	}
	return string(b), 0
}
