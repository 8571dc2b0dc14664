package hunt

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/internal/hunt/sarifschema"
)

// raceFinding is a race as hunt reports it, in a module at root.
func raceFinding(root string, seed uint64, readFirst bool) *Finding {
	read := "Read at 0x00c000096348 by goroutine 9:\n  example.com/usermod/racy.Hits.func1()\n      " + root + "/racy/hits.go:14 +0x7b"
	write := "Previous write at 0x00c000096348 by goroutine 8:\n  example.com/usermod/racy.Hits.func1()\n      " + root + "/racy/hits.go:14 +0x8d"
	created := "Goroutine 9 (running) created at:\n  example.com/usermod/racy.Hits()\n      " + root + "/racy/hits.go:12 +0x84\n  example.com/usermod/racy.TestHits()\n      " + root + "/racy/hits_test.go:6 +0x37"
	stack := read + "\n\n" + write + "\n\n" + created
	if !readFirst {
		stack = write + "\n\n" + read + "\n\n" + created
	}
	return &Finding{
		Type: "finding", Kind: KindRace, Package: "example.com/usermod/racy", Test: "TestHits",
		Message: "data race: read at racy/hits.go:14 (racy.Hits.func1) vs previous write at racy/hits.go:14 (racy.Hits.func1)",
		Seed:    seed, GOMAXPROCS: 2, Run: 1, Stacks: []string{stack},
		Replay: "conclab hunt -run '^TestHits$' -seed 1 -cpu 2 ./racy",
	}
}

func summaryOf(fs ...*Finding) *Summary {
	s := &Summary{Type: "summary", Findings: len(fs)}
	for _, f := range fs {
		s.Tests = append(s.Tests, TestResult{Package: f.Package, Test: f.Test, Runs: 1, Finding: f})
	}
	return s
}

func TestWitnesses(t *testing.T) {
	ws := raceFinding("/m", 1, true).Witnesses()
	require.Len(t, ws, 3, "the read, the write and the goroutine's creation")
	assert.Equal(t, "Read at 0x00c000096348 by goroutine 9:", ws[0].Header)
	assert.Equal(t, []Frame{{"example.com/usermod/racy.Hits.func1", "/m/racy/hits.go", 14}}, ws[0].Frames)
	assert.Equal(t, []Frame{
		{"example.com/usermod/racy.Hits", "/m/racy/hits.go", 12},
		{"example.com/usermod/racy.TestHits", "/m/racy/hits_test.go", 6},
	}, ws[2].Frames)
}

func TestFingerprint(t *testing.T) {
	base := raceFinding("/m", 1, true).Fingerprint()
	other := raceFinding("/m", 1, true)
	other.Test = "TestOther"
	leak := raceFinding("/m", 1, true)
	leak.Kind = KindLeak
	moved := raceFinding("/m", 1, true)
	moved.Stacks[0] = strings.ReplaceAll(moved.Stacks[0], "hits.go:14", "hits.go:40")
	for _, tc := range []struct {
		name string
		f    *Finding
		same bool
	}{
		{"another seed is the same bug", raceFinding("/m", 99, true), true},
		{"the accesses in the other order are the same bug", raceFinding("/m", 1, false), true},
		{"moved lines are the same bug", moved, true},
		{"another checkout is the same bug", raceFinding("/elsewhere", 1, true), true},
		{"another test is another bug", other, false},
		{"another kind is another bug", leak, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.same {
				assert.Equal(t, base, tc.f.Fingerprint())
			} else {
				assert.NotEqual(t, base, tc.f.Fingerprint())
			}
		})
	}
}

// TestSARIFValidates writes the log of a race and of a failure without
// stacks and checks the file against the SARIF 2.1.0 schema (offline: the
// library embeds it) and what code scanning needs of each result.
func TestSARIFValidates(t *testing.T) {
	root := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(root, "racy"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(root, "racy", "flaky_test.go"), []byte("package racy\n\nimport \"testing\"\n\nfunc TestFlaky(t *testing.T) {}\n"), 0o644))
	failure := &Finding{Type: "finding", Kind: KindFailure, Package: "example.com/usermod/racy", Test: "TestFlaky",
		Message: "flaky_test.go:9: got 1, want 2", Seed: 7, Run: 3, Replay: "conclab hunt -run '^TestFlaky$' -seed 7 ./racy"}
	outside := raceFinding("/not/the/module", 1, true)
	outside.Test = "TestOutside"
	sum := summaryOf(raceFinding(root, 1, true), failure, outside)
	path := filepath.Join(t.TempDir(), "hunt.sarif")
	opts := SARIFOptions{Root: root, ModuleDir: root, ModulePath: "example.com/usermod"}
	require.NoError(t, sum.WriteSARIF(path, opts))

	data, err := os.ReadFile(path)
	require.NoError(t, err)
	ValidateSARIF(t, data)

	var log struct {
		Version string
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string
					Rules []struct {
						ID   string
						Help struct{ Text string }
					}
				}
			}
			Results []struct {
				RuleID              string
				Message             struct{ Text string }
				PartialFingerprints map[string]string
				Locations           []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine int }
					}
				}
				RelatedLocations []json.RawMessage
				CodeFlows        []json.RawMessage
			}
		}
	}
	require.NoError(t, json.Unmarshal(data, &log))
	assert.Equal(t, "2.1.0", log.Version)
	require.Len(t, log.Runs, 1)
	run := log.Runs[0]
	assert.Equal(t, "conclab", run.Tool.Driver.Name)
	require.Len(t, run.Tool.Driver.Rules, len(Detectors), "one rule per detector")
	for _, r := range run.Tool.Driver.Rules {
		assert.NotEmpty(t, r.Help.Text, "rule %s has help", r.ID)
	}
	require.Len(t, run.Results, 3, "one result per finding")
	for _, r := range run.Results {
		assert.NotEmpty(t, r.Message.Text)
		assert.Len(t, r.PartialFingerprints[FingerprintVersion], 32)
		require.Len(t, r.Locations, 1, "%s: one location", r.RuleID)
		assert.Positive(t, r.Locations[0].PhysicalLocation.Region.StartLine)
		assert.False(t, filepath.IsAbs(r.Locations[0].PhysicalLocation.ArtifactLocation.URI))
	}
	race := run.Results[0]
	assert.Equal(t, "race", race.RuleID)
	assert.Equal(t, "racy/hits.go", race.Locations[0].PhysicalLocation.ArtifactLocation.URI, "the first user frame, relative to the root")
	assert.Equal(t, 14, race.Locations[0].PhysicalLocation.Region.StartLine)
	assert.Len(t, race.RelatedLocations, 2, "the other access and the creation")
	assert.Len(t, race.CodeFlows, 1)
	assert.Contains(t, race.Message.Text, "Replay: conclab hunt -run '^TestHits$'")
	assert.Equal(t, "racy/flaky_test.go", run.Results[1].Locations[0].PhysicalLocation.ArtifactLocation.URI, "a failure is at its test function")
	assert.Equal(t, 5, run.Results[1].Locations[0].PhysicalLocation.Region.StartLine)
	assert.Equal(t, "go.mod", run.Results[2].Locations[0].PhysicalLocation.ArtifactLocation.URI, "frames outside the root: the module")
}

// ValidateSARIF checks the bytes of a SARIF log against the official SARIF
// 2.1.0 JSON schema, offline: the copy go-sarif embeds, read from its
// source in the module cache.
func ValidateSARIF(t *testing.T, data []byte) {
	t.Helper()
	for _, e := range sarifSchemaErrors(t, data) {
		t.Errorf("SARIF schema: %s", e)
	}
}

func sarifSchemaErrors(t *testing.T, data []byte) []string {
	t.Helper()
	errs, err := sarifschema.Errors(data)
	require.NoError(t, err)
	return errs
}

// TestSARIFSchemaRejects is the schema check's negative control: a log
// without its tool, a result without a message and a line 0 fail it.
func TestSARIFSchemaRejects(t *testing.T) {
	for _, tc := range []struct{ name, doc string }{
		{"no tool", `{"version":"2.1.0","runs":[{"results":[]}]}`},
		{"no message", `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"ruleId":"race"}]}]}`},
		{"line 0", `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go"},"region":{"startLine":0}}}]}]}]}`},
		{"another version", `{"version":"2.0.0","runs":[]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.NotEmpty(t, sarifSchemaErrors(t, []byte(tc.doc)))
		})
	}
	assert.Empty(t, sarifSchemaErrors(t, []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[]}]}`)), "the smallest valid log")
}

func TestAnnotations(t *testing.T) {
	root := "/m"
	known, fresh := raceFinding(root, 1, true), raceFinding(root, 1, true)
	fresh.Test = "TestNew"
	b := &Baseline{Path: "old.json", known: map[string]bool{known.Fingerprint(): true}}
	var out strings.Builder
	require.NoError(t, summaryOf(known, fresh).WriteAnnotations(&out, SARIFOptions{Root: root, Baseline: b}))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 2, "one line per finding")
	assert.True(t, strings.HasPrefix(lines[0], "::warning file=racy/hits.go,line=14,title=conclab hunt%3A race in TestHits::known (in the baseline old.json): data race"), lines[0])
	assert.True(t, strings.HasPrefix(lines[1], "::error file=racy/hits.go,line=14,title=conclab hunt%3A race in TestNew::data race"), lines[1])
	assert.Contains(t, lines[1], "%0Areplay: conclab hunt", "the newline is encoded")
}

func TestBaseline(t *testing.T) {
	old := summaryOf(raceFinding("/base", 1, true))
	data, err := json.Marshal(old)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "old.json")
	require.NoError(t, os.WriteFile(path, append(data, '\n'), 0o644))
	b, err := ReadBaseline(path)
	require.NoError(t, err)
	assert.Equal(t, 1, b.Len())

	newer := raceFinding("/head", 5, false)
	newer.Test = "TestNew"
	known, fresh := b.Split(summaryOf(raceFinding("/head", 2, false), newer))
	assert.Len(t, known, 1, "the same race, another seed and checkout, is known")
	require.Len(t, fresh, 1)
	assert.Equal(t, "TestNew", fresh[0].Test)

	var out strings.Builder
	require.NoError(t, b.WriteText(&out, summaryOf(raceFinding("/head", 2, false), newer)))
	assert.Contains(t, out.String(), "NEW   example.com/usermod/racy TestNew  race")
	assert.Contains(t, out.String(), "hunt: baseline "+path+": 1 of 2 findings known, 1 new\n")

	require.NoError(t, os.WriteFile(path, []byte(`{"type":"finding","kind":"race"}`+"\n"), 0o644))
	_, err = ReadBaseline(path)
	assert.ErrorContains(t, err, "no summary line", "an unfinished hunt is no baseline")
}
