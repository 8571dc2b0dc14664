package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/internal/hunt"
)

// copyModule copies a testdata module of internal/hunt into a temporary
// directory, the user's module for the test, and returns its path.
func copyModule(t *testing.T, name string) string {
	t.Helper()
	src := filepath.Join("..", "..", "internal", "hunt", "testdata", name)
	dst := t.TempDir()
	require.NoError(t, os.CopyFS(dst, os.DirFS(src)))
	return dst
}

// treeHash hashes every file of dir, path and contents, and lists the paths.
func treeHash(t *testing.T, dir string) (sum string, files []string) {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		files = append(files, rel)
		h.Write([]byte(rel + "\x00"))
		h.Write(data)
		return nil
	})
	require.NoError(t, err)
	return string(h.Sum(nil)), files
}

func TestHuntBadInput(t *testing.T) {
	mod := copyModule(t, "usermod")
	t.Chdir(mod)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"not a package", []string{"hunt", "./nope"}, "conclab hunt: ./nope: stat"},
		{"no Go files", []string{"hunt", "./clean/.."}, "no Go files"},
		{"no tests", []string{"hunt", "./notest"}, "example.com/usermod/notest: no test files (nothing to hunt)"},
		{"bad regexp", []string{"hunt", "-run", "Test(", "./clean"}, "conclab hunt: -run \"Test(\": error parsing regexp"},
		{"no test matches", []string{"hunt", "-quiet", "-run", "^TestNone$", "./clean"}, `no tests match -run "^TestNone$"`},
		{"bad shard", []string{"hunt", "-shard", "2/2", "./clean"}, `-shard "2/2": want i/n with 0 <= i < n`},
		{"bad runs", []string{"hunt", "-runs", "-1", "./clean"}, "-runs -1: must be between 1 and"},
		{"bad yield", []string{"hunt", "-yield", "2", "./clean"}, "-yield 2: must be between 0 and 1"},
		{"bad seed", []string{"hunt", "-seed", "x", "./clean"}, `-seed "x": want a non-negative integer`},
		{"replay without a seed", []string{"hunt", "-replay", "./clean"}, "-replay: give the -seed of the run to replay"},
		{"merge nothing", []string{"hunt", "-merge"}, "-merge: name the -json files to join"},
		{"merge a missing file", []string{"hunt", "-merge", "nope.json"}, "-merge: open nope.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := conclab(t, tc.args...)
			assert.Equal(t, 2, code, "stderr: %s", stderr)
			assert.Empty(t, stdout)
			assert.Contains(t, stderr, tc.want)
			assert.Equal(t, 1, strings.Count(stderr, "\n"), "one line on stderr: %q", stderr)
		})
	}
}

func TestHuntOutsideAModule(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv("GOFLAGS", "")
	t.Setenv("GO111MODULE", "on")
	code, stdout, stderr := conclab(t, "hunt", "./...")
	assert.Equal(t, 2, code, "stderr: %s", stderr)
	assert.Empty(t, stdout)
	assert.Equal(t, 1, strings.Count(stderr, "\n"), "one line on stderr: %q", stderr)
}

func TestHuntModuleThatDoesNotBuild(t *testing.T) {
	t.Chdir(copyModule(t, "brokenmod"))
	code, stdout, stderr := conclab(t, "hunt", "-quiet", "./...")
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, `b/b.go:5:23: cannot use "x"`, "the compiler's lines are shown")
	assert.Contains(t, stderr, "conclab hunt: example.com/brokenmod/b does not build: b/b.go:5:23")
}

// TestHuntLeavesTheTreeAlone hunts a copied module with a race and a clean
// package: the finding is reported with its replay command, the report and
// the JSON are written where asked, and the module's files are byte for byte
// what they were, with no file added.
func TestHuntLeavesTheTreeAlone(t *testing.T) {
	mod := copyModule(t, "usermod")
	before, files := treeHash(t, mod)
	t.Chdir(mod)
	out := t.TempDir()
	report := filepath.Join(out, "hunt.md")

	code, stdout, stderr := conclab(t, "hunt", "-quiet", "-runs", "3", "-o", report, "./...")
	assert.Equal(t, 1, code, "a race is a finding: stderr %s", stderr)
	assert.Contains(t, stdout, "FOUND example.com/usermod/racy TestHits")
	assert.Contains(t, stdout, "ok    example.com/usermod/clean TestCounter")
	assert.Contains(t, stdout, "data race")
	assert.Contains(t, stdout, "racy/hits.go:")
	assert.Regexp(t, `replay: conclab hunt -replay -run '\^TestHits\$' -seed \d+ -cpu \d+ -yield [0-9.]+ -runs 10 \./racy`, stdout)
	assert.Equal(t, "conclab hunt: 1 finding\n", stderr)
	md, err := os.ReadFile(report)
	require.NoError(t, err)
	assert.Contains(t, string(md), "| example.com/usermod/racy | TestHits | **race** (definite) |")

	after, filesAfter := treeHash(t, mod)
	assert.Equal(t, files, filesAfter, "no file added or removed")
	assert.Equal(t, before, after, "the user's files are unchanged")
}

// TestHuntJSONAndMerge hunts two shards with -json and merges them.
func TestHuntJSONAndMerge(t *testing.T) {
	t.Chdir(copyModule(t, "usermod"))
	dir := t.TempDir()
	var paths []string
	findings := 0
	for i, shard := range []string{"0/2", "1/2"} {
		code, stdout, stderr := conclab(t, "hunt", "-quiet", "-json", "-runs", "2", "-shard", shard, "./...")
		require.Contains(t, []int{0, 1}, code, "stderr: %s", stderr)
		lines := strings.Split(strings.TrimSpace(stdout), "\n")
		var last struct {
			Type     string
			Findings int
		}
		require.NoError(t, json.Unmarshal([]byte(lines[len(lines)-1]), &last))
		assert.Equal(t, "summary", last.Type)
		assert.Equal(t, last.Findings, len(lines)-1, "one object per finding, then the summary")
		findings += last.Findings
		paths = append(paths, filepath.Join(dir, []string{"a.json", "b.json"}[i]))
		require.NoError(t, os.WriteFile(paths[i], []byte(stdout), 0o644))
	}
	assert.Equal(t, 1, findings, "the race is in exactly one shard")
	code, stdout, _ := conclab(t, append([]string{"hunt", "-merge"}, paths...)...)
	assert.Equal(t, 1, code)
	assert.Contains(t, stdout, "FOUND example.com/usermod/racy TestHits")
	assert.Contains(t, stdout, "ok    example.com/usermod/clean TestCounter")
}

// TestHuntInterruptedExits130: Ctrl-C exits 130, as run, profile and scale
// do, whether it comes before the first run or after a finding.
func TestHuntInterruptedExits130(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel() // as Ctrl-C does through signal.NotifyContext
	t.Chdir(copyModule(t, "hangmod"))
	var stdout, stderr bytes.Buffer
	code := Main(ctx, []string{"hunt", "-quiet", "./p"}, &stdout, &stderr)
	assert.Equal(t, 130, code, stderr.String())

	for _, tc := range []struct {
		name        string
		findings    int
		interrupted bool
		want        int
	}{
		{"clean", 0, false, 0},
		{"finding", 1, false, 1},
		{"interrupted", 0, true, 130},
		{"interrupted-after-a-finding", 1, true, 130},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := finishHunt(&hunt.Summary{Findings: tc.findings}, false, "", &huntCI{}, io.Discard, io.Discard, tc.interrupted)
			code := 0
			if e, ok := errors.AsType[*exitError](err); ok {
				code = e.code
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, tc.want, code)
		})
	}
}
