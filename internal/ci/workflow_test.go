package ci

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
	"go.yaml.in/yaml/v3"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type workflow struct {
	On   map[string]any `yaml:"on"`
	Jobs map[string]struct {
		Steps []struct {
			Name string            `yaml:"name"`
			Uses string            `yaml:"uses"`
			Run  string            `yaml:"run"`
			With map[string]string `yaml:"with"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

func readRepoFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", path))
	require.NoError(t, err)
	return b
}

// makeCITargets returns the prerequisites of the Makefile's ci target.
func makeCITargets(t *testing.T) []string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^ci:(.*)$`).FindSubmatch(readRepoFile(t, "Makefile"))
	require.NotNil(t, m, "the Makefile has a ci target")
	return strings.Fields(string(m[1]))
}

func TestWorkflowRunsWhatMakeCIRuns(t *testing.T) {
	var wf workflow
	require.NoError(t, yaml.Unmarshal(readRepoFile(t, ".github/workflows/ci.yml"), &wf), "ci.yml is valid YAML")
	assert.Contains(t, wf.On, "push")
	assert.Contains(t, wf.On, "pull_request")
	require.Len(t, wf.Jobs, 1)

	var targets []string
	for _, job := range wf.Jobs {
		for _, step := range job.Steps {
			if step.Uses != "" {
				assert.Regexp(t, `@v\d+\.\d+\.\d+$`, step.Uses, "actions are pinned to a release")
				continue
			}
			fields := strings.Fields(step.Run)
			require.GreaterOrEqual(t, len(fields), 2, "step %q", step.Name)
			require.Equal(t, "make", fields[0], "step %q runs a make target, so that make ci can run the same", step.Name)
			targets = append(targets, fields[1])
		}
	}
	assert.Equal(t, makeCITargets(t), targets, "the workflow's steps are make ci's targets, in order")
}

func TestCIRunsTheREADMETestCommand(t *testing.T) {
	readme := string(readRepoFile(t, "README.md"))
	assert.Contains(t, readme, "make test ", "the README gives make test")
	assert.Contains(t, readme, "make profile ", "the README gives make profile")
	assert.Contains(t, string(readRepoFile(t, ".ci/run")), "\nmake test\n", ".ci/run runs the README's test command")
}
