package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/internal/hunt/sarifschema"
)

// gitRepo makes dir a git repository with one commit of everything in it.
func gitRepo(t *testing.T, dir string) {
	t.Helper()
	gitIn(t, dir, "init", "-q")
	gitCommit(t, dir, "base")
}

func gitCommit(t *testing.T, dir, msg string) {
	t.Helper()
	gitIn(t, dir, "add", "-A")
	gitIn(t, dir, "-c", "user.name=conclab", "-c", "user.email=conclab@example.com", "commit", "-q", "-m", msg)
}

func gitIn(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "git %v: %s", args, out)
}

// TestCIDocumentedCommands runs the commands of docs/ci.md and of the
// workflow docs/ci/conclab.yml, in their order, on the fixture module
// testdata/cimod (not conclab's): a base commit with a known race; a change
// that adds a leak and slows BenchmarkChecksum by 15 %. The hunt is
// sharded and merged, its SARIF validates against the SARIF 2.1.0 schema,
// the base's hunt as baseline hides the race and fails on the leak, and the
// gate fails the slowdown and passes the work tree against itself. The
// benchmarks report computed times (CIMOD_SYNTHETIC), so that the gate's
// decisions here do not depend on the machine's load; the README's power
// table is the same command on measured times.
func TestCIDocumentedCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module's tests several times")
	}
	workflow, err := os.ReadFile(filepath.Join("..", "..", "docs", "ci", "conclab.yml"))
	require.NoError(t, err)
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "ci.md"))
	require.NoError(t, err)
	for _, cmd := range []string{
		`conclab hunt -json -shard "${{ matrix.shard }}/$SHARDS" ./...`,
		`conclab hunt -merge -json hunt-*.json > hunt.json`,
		`flags+=(-baseline baseline/hunt.json)`,
		`conclab hunt -merge "${flags[@]}" hunt.json`,
		`conclab gate -base "origin/$GITHUB_BASE_REF" ./...`,
		`conclab scale -out scale-report ./...`,
	} {
		assert.Contains(t, string(workflow), cmd, "the workflow runs the command this test runs")
	}
	for _, cmd := range []string{"conclab hunt -json ./... > baseline.json", "conclab hunt -baseline baseline.json -sarif hunt.sarif ./...", "conclab gate -base HEAD~1 ./...", "conclab gate -aa 20 ./..."} {
		assert.Contains(t, string(doc), cmd, "docs/ci.md shows the command this test runs")
	}

	src, err := filepath.Abs(filepath.Join("testdata", "cimod"))
	require.NoError(t, err)
	mod := t.TempDir()
	require.NoError(t, os.CopyFS(mod, os.DirFS(src)))
	newbug := filepath.Join(mod, "newbug")
	require.NoError(t, os.Rename(newbug, filepath.Join(t.TempDir(), "newbug")))
	gitRepo(t, mod)
	t.Chdir(mod)
	out := t.TempDir()
	file := func(name string) string { return filepath.Join(out, name) }

	// The base branch's hunt: the race is known.
	code, stdout, stderr := conclab(t, "hunt", "-quiet", "-runs", "3", "-json", "./...")
	require.Equal(t, 1, code, "the base has a race: %s", stderr)
	require.NoError(t, os.WriteFile(file("baseline.json"), []byte(stdout), 0o644))

	// The change: a leak, and BenchmarkChecksum 15 % slower.
	require.NoError(t, os.CopyFS(newbug, os.DirFS(filepath.Join(src, "newbug"))))
	work := filepath.Join(mod, "work", "work.go")
	data, err := os.ReadFile(work)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(work, []byte(strings.Replace(string(data), "const Rounds = 100", "const Rounds = 115", 1)), 0o644))
	gitCommit(t, mod, "change")

	t.Run("hunt sharded, merged, SARIF and baseline", func(t *testing.T) {
		var shards []string
		for _, shard := range []string{"0/2", "1/2"} {
			code, stdout, stderr := conclab(t, "hunt", "-quiet", "-runs", "3", "-json", "-shard", shard, "./...")
			require.Contains(t, []int{0, 1}, code, "stderr: %s", stderr)
			shards = append(shards, file("hunt-"+shard[:1]+".json"))
			require.NoError(t, os.WriteFile(shards[len(shards)-1], []byte(stdout), 0o644))
		}
		code, stdout, _ := conclab(t, append([]string{"hunt", "-merge", "-json"}, shards...)...)
		require.Equal(t, 1, code)
		require.NoError(t, os.WriteFile(file("hunt.json"), []byte(stdout), 0o644))

		t.Setenv("GITHUB_ACTIONS", "true")
		code, stdout, stderr = conclab(t, "hunt", "-merge", "-sarif", file("hunt.sarif"), "-baseline", file("baseline.json"), file("hunt.json"))
		assert.Equal(t, 1, code, "a new finding fails")
		assert.Contains(t, stderr, "conclab hunt: 1 new finding (not in the baseline")
		assert.Contains(t, stdout, "1 of 2 findings known, 1 new")
		assert.Contains(t, stdout, "NEW   example.com/cimod/newbug TestWatch  leak")
		assert.Contains(t, stdout, "::error file=newbug/watch.go,line=")
		assert.Contains(t, stdout, "::warning file=racy/hits.go,line=")

		sarif, err := os.ReadFile(file("hunt.sarif"))
		require.NoError(t, err)
		errs, err := sarifschema.Errors(sarif)
		require.NoError(t, err)
		assert.Empty(t, errs, "the SARIF validates against the SARIF 2.1.0 schema")
		var log struct {
			Runs []struct {
				Results []struct {
					RuleID, BaselineState string
					Locations             []struct {
						PhysicalLocation struct {
							ArtifactLocation struct{ URI string }
						}
					}
				}
			}
		}
		require.NoError(t, json.Unmarshal(sarif, &log))
		got := map[string]string{}
		for _, r := range log.Runs[0].Results {
			got[r.RuleID+" "+r.Locations[0].PhysicalLocation.ArtifactLocation.URI] = r.BaselineState
		}
		assert.Equal(t, map[string]string{"race racy/hits.go": "unchanged", "leak newbug/watch.go": "new"}, got)
	})

	t.Run("the gate fails the slowdown", func(t *testing.T) {
		t.Setenv("CIMOD_SYNTHETIC", "1")
		profiles := file("gate-profiles")
		code, stdout, stderr := conclab(t, "gate", "-quiet", "-benchtime", "1x", "-reps", "1", "-profiles", profiles, "-base", "HEAD~1", "./...")
		assert.Equal(t, 1, code, "stderr: %s", stderr)
		assert.Regexp(t, `BenchmarkChecksum: REGRESSION: ratio 1\.150 \[1\.150, 1\.150\] \(\+15\.0%\), p=\S+ q=\S+ n=\d+: early stop`, stdout)
		assert.Regexp(t, `BenchmarkSum: ok: ratio 1\.000`, stdout)
		assert.Contains(t, stdout, "gate: FAIL: 1 of 2 benchmarks slower")
		assert.FileExists(t, filepath.Join(profiles, "Checksum.diff.svg"), "the differential flame graph")
		assert.FileExists(t, filepath.Join(profiles, "Checksum.old.pb.gz"))
	})

	t.Run("the gate passes A/A", func(t *testing.T) {
		t.Setenv("CIMOD_SYNTHETIC", "1")
		code, stdout, stderr := conclab(t, "gate", "-quiet", "-benchtime", "1x", "-reps", "1", "-aa", "2", "./...")
		assert.Equal(t, 0, code, "stderr: %s", stderr)
		assert.Contains(t, stdout, "gate: A/A: 0 of 2 decisions failed: a false-alarm rate of 0 % on these 2 benchmarks")
	})

	t.Run("the baseline hides the known finding", func(t *testing.T) {
		require.NoError(t, os.RemoveAll(newbug))
		code, stdout, stderr := conclab(t, "hunt", "-quiet", "-runs", "3", "-baseline", file("baseline.json"), "-sarif", file("known.sarif"), "./...")
		assert.Equal(t, 0, code, "only known findings: stderr %s", stderr)
		assert.Contains(t, stdout, "FOUND example.com/cimod/racy TestHits", "still reported")
		assert.Contains(t, stdout, "1 of 1 finding known, 0 new")
	})

	t.Run("bad input", func(t *testing.T) {
		newBench := filepath.Join(mod, "work", "new_test.go")
		require.NoError(t, os.WriteFile(newBench, []byte("package work\n\nimport \"testing\"\n\nfunc BenchmarkNew(b *testing.B) {\n\tfor b.Loop() {\n\t}\n\tb.ReportMetric(1, \"ns/op\")\n}\n"), 0o644))
		t.Setenv("CIMOD_SYNTHETIC", "1")
		code, stdout, _ := conclab(t, "gate", "-quiet", "-benchtime", "1x", "-reps", "1", "-base", "HEAD", "./...")
		assert.Equal(t, 0, code)
		assert.Contains(t, stdout, "BenchmarkNew: new side only (added since the base): not gated", "a base that predates a benchmark")

		for _, tc := range []struct {
			name string
			args []string
			want string
		}{
			{"not a commit", []string{"-base", "no-such-ref"}, "conclab gate: -base no-such-ref: not a commit of"},
			{"no benchmark", []string{"-base", "HEAD", "-bench", "^BenchmarkNone$"}, `conclab gate: no benchmark matches -bench "^BenchmarkNone$" in ./...`},
			{"no base", nil, "conclab gate: name the base to compare against (-base REF) or ask for an A/A run (-aa N)"},
			{"bad regexp", []string{"-base", "HEAD", "-bench", "("}, `conclab gate: -bench "(": error parsing regexp`},
		} {
			t.Run(tc.name, func(t *testing.T) {
				code, stdout, stderr := conclab(t, append(append([]string{"gate", "-quiet"}, tc.args...), "./...")...)
				assert.Equal(t, 2, code, "stderr: %s", stderr)
				assert.Empty(t, stdout)
				assert.Contains(t, stderr, tc.want)
				assert.Equal(t, 1, strings.Count(stderr, "\n"), "one line on stderr: %q", stderr)
			})
		}
		require.NoError(t, os.WriteFile(filepath.Join(mod, "work", "broken.go"), []byte("package work\n\nvar broken int = \"x\"\n"), 0o644))
		code, stdout, stderr := conclab(t, "gate", "-quiet", "-base", "HEAD", "./...")
		assert.Equal(t, 2, code)
		assert.Empty(t, stdout)
		assert.Contains(t, stderr, "conclab gate: example.com/cimod/work does not build in the work tree: work/broken.go:3")
		assert.Equal(t, 1, strings.Count(stderr, "\n"), "one line on stderr: %q", stderr)
	})
}
