package ci

import (
	"fmt"
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

// workflowTargets returns the make targets the workflow's run steps call, in
// order, and an error for a step that runs anything but one make target or
// an action not pinned to a release.
func workflowTargets(data []byte) ([]string, error) {
	var wf workflow
	if err := yaml.Unmarshal(data, &wf); err != nil {
		return nil, err
	}
	if len(wf.Jobs) != 1 {
		return nil, fmt.Errorf("want one job, got %d", len(wf.Jobs))
	}
	var targets []string
	for _, job := range wf.Jobs {
		for _, step := range job.Steps {
			if step.Uses != "" {
				if !regexp.MustCompile(`@v\d+\.\d+\.\d+$`).MatchString(step.Uses) {
					return nil, fmt.Errorf("step %q: action %q is not pinned to a release", step.Name, step.Uses)
				}
				continue
			}
			fields := strings.Fields(step.Run)
			if len(fields) < 2 || fields[0] != "make" {
				return nil, fmt.Errorf("step %q runs %q, not a make target that make ci can run too", step.Name, step.Run)
			}
			targets = append(targets, fields[1])
		}
	}
	return targets, nil
}

func TestWorkflowRunsWhatMakeCIRuns(t *testing.T) {
	data := readRepoFile(t, ".github/workflows/ci.yml")
	var wf workflow
	require.NoError(t, yaml.Unmarshal(data, &wf), "ci.yml is valid YAML")
	assert.Contains(t, wf.On, "push")
	assert.Contains(t, wf.On, "pull_request")
	targets, err := workflowTargets(data)
	require.NoError(t, err)
	assert.Equal(t, makeCITargets(t), targets, "the workflow's steps are make ci's targets, in order")
}

// The check above must be able to fail: workflows that drift from make ci
// are caught.
func TestWorkflowTargetsRejectsDrift(t *testing.T) {
	for _, tc := range []struct {
		name, yaml, want string
	}{
		{"a raw command", "jobs:\n  j:\n    steps:\n      - run: go test ./...\n", "not a make target"},
		{"an unpinned action", "jobs:\n  j:\n    steps:\n      - uses: actions/checkout@main\n", "not pinned"},
		{"not YAML", "jobs: [\n", "yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := workflowTargets([]byte(tc.yaml))
			assert.ErrorContains(t, err, tc.want)
		})
	}
	targets, err := workflowTargets([]byte("jobs:\n  j:\n    steps:\n      - run: make test-cpus\n      - run: make lint\n"))
	require.NoError(t, err)
	assert.NotEqual(t, makeCITargets(t), targets, "steps out of order differ from make ci")
}

func TestCIRunsTheREADMETestCommand(t *testing.T) {
	readme := string(readRepoFile(t, "README.md"))
	assert.Contains(t, readme, "make test ", "the README gives make test")
	assert.Contains(t, readme, "make profile ", "the README gives make profile")
	assert.Contains(t, string(readRepoFile(t, ".ci/run")), "\nmake test\n", ".ci/run runs the README's test command")
}
