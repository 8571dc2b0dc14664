package gotool_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/internal/gotool"
)

// fixture is the module under testdata: example.com/fixture/ok builds and
// has tests, example.com/fixture/broken does not compile.
func fixture(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("testdata", "mod"))
	require.NoError(t, err)
	return dir
}

func TestListReportsEachPackageOnce(t *testing.T) {
	dir := fixture(t)
	pkgs, err := gotool.List(t.Context(), dir, nil, "./...", "./missing")
	require.NoError(t, err)
	byPath := map[string]*gotool.Package{}
	for _, p := range pkgs {
		byPath[p.ImportPath] = p
	}
	ok := byPath["example.com/fixture/ok"]
	require.NotNil(t, ok, "the ok package is listed")
	assert.Equal(t, filepath.Join(dir, "ok"), ok.Dir)
	assert.Equal(t, "ok", ok.Name)
	assert.Equal(t, []string{"ok.go"}, ok.GoFiles)
	assert.True(t, ok.HasTests())
	require.NotNil(t, ok.Module)
	assert.Equal(t, gotool.Module{Path: "example.com/fixture", Dir: dir, GoVersion: "1.21", Main: true}, *ok.Module)
	assert.Nil(t, ok.Error, "a package that does not compile still lists")
	require.Contains(t, byPath, "./missing")
	require.NotNil(t, byPath["./missing"].Error, "a pattern naming no package lists with its error")
}

func TestListFailureIsTheGoCommandsFirstLine(t *testing.T) {
	_, err := gotool.List(t.Context(), fixture(t), []string{"-no-such-flag"}, "./...")
	var gerr *gotool.Error
	require.ErrorAs(t, err, &gerr)
	assert.Equal(t, "go list", gerr.Cmd)
	assert.Contains(t, gerr.Line, "no-such-flag")
}

func TestEnvIsTheModulesGoMod(t *testing.T) {
	dir := fixture(t)
	gomod, err := gotool.Env(t.Context(), dir, "GOMOD")
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(dir, "go.mod"), gomod)
}

func TestBuildTestShowsTheCompilersLines(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "broken.test")
	err := gotool.BuildTest(t.Context(), fixture(t), gotool.TestBuild{Package: "./broken", Output: bin, NoVet: true})
	var be *gotool.BuildError
	require.ErrorAs(t, err, &be)
	assert.Regexp(t, `^broken[/\\]broken\.go:4:\d+: undefined: nothing$`, be.FirstLine(), "the compiler's first line, the package header left out")
	assert.Contains(t, be.Lines(10), "# example.com/fixture/broken", "the detail keeps the header")
	assert.Contains(t, be.Error(), "go test -c ./broken: ")
	assert.NoFileExists(t, bin)
}

func TestBuildTestThenRunTheBinary(t *testing.T) {
	dir := fixture(t)
	bin := filepath.Join(t.TempDir(), "ok.test")
	require.NoError(t, gotool.BuildTest(t.Context(), dir, gotool.TestBuild{Package: "./ok", Output: bin, Race: true, NoVet: true, TrimPath: true}))

	cmd := gotool.Command(t.Context(), filepath.Join(dir, "ok"), bin, "-test.list", ".")
	stdout, _, err := gotool.Output(cmd)
	require.NoError(t, err)
	assert.Equal(t, "TestDouble\nTestFails\nBenchmarkDouble\n", string(stdout))

	cmd = gotool.Command(t.Context(), filepath.Join(dir, "ok"), bin, "-test.run=^TestFails$", "-test.short")
	stdout, _, err = gotool.Output(cmd)
	require.Error(t, err, "the test fails under -short")
	assert.Equal(t, "--- FAIL: TestFails (0.00s) ok_test.go:13: told to fail", gotool.LastLine(string(stdout)))
}

func TestCommandAddsToThisEnvironment(t *testing.T) {
	t.Setenv("GOTOOL_TEST_PARENT", "inherited")
	cmd := gotool.Command(t.Context(), "", "go", "env")
	assert.Contains(t, cmd.Env, "GOTOOL_TEST_PARENT=inherited")
	for _, kv := range cmd.Env {
		if strings.HasPrefix(kv, "PWD=") {
			assert.Equal(t, "PWD="+os.Getenv("PWD"), kv, "no PWD of the child's directory added")
		}
	}
	assert.Equal(t, gotool.WaitDelay, cmd.WaitDelay)
}
