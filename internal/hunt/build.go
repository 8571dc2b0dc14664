package hunt

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
)

// A target is one built package: its test binary and its tests.
type target struct {
	pkg   *listedPackage
	bin   string
	tests []string
}

// buildAll builds every package's test binary once, at most parallel at a
// time, and lists its tests. The first failure is returned after the builds
// under way have finished.
func buildAll(ctx context.Context, cfg *Config, work string, pkgs []*listedPackage) ([]*target, error) {
	targets := make([]*target, len(pkgs))
	errs := make([]error, len(pkgs))
	sem := make(chan struct{}, cfg.Parallel)
	var wg sync.WaitGroup
	for i, p := range pkgs {
		wg.Go(func() {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				errs[i] = ctx.Err()
				return
			}
			defer func() { <-sem }()
			targets[i], errs[i] = build(ctx, cfg, filepath.Join(work, fmt.Sprintf("pkg%d", i)), p)
			if errs[i] == nil && cfg.Progress != nil {
				fmt.Fprintf(cfg.Progress, "hunt: built %s (%d tests)\n", p.ImportPath, len(targets[i].tests))
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return targets, nil
}

// build compiles p's test binary into dir and lists its tests.
func build(ctx context.Context, cfg *Config, dir string, p *listedPackage) (*target, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	bin := filepath.Join(dir, "test.bin")
	args := []string{"test", "-c", "-race", "-vet=off", "-o", bin}
	env := os.Environ()
	if !cfg.Plain && overlayHook != nil {
		overlay, extraEnv, err := overlayHook(dir, p)
		if err != nil {
			return nil, fmt.Errorf("instrument %s: %v", p.ImportPath, err)
		}
		if overlay != "" {
			args = append(args, "-overlay", overlay)
		}
		env = append(env, extraEnv...)
	}
	args = append(args, p.ImportPath)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = cfg.Dir
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		return nil, &UsageError{
			Msg:    fmt.Sprintf("%s does not build: %s", p.ImportPath, firstLine(string(out), err)),
			Detail: firstLines(string(out), 10),
		}
	}
	if _, err := os.Stat(bin); err != nil {
		return nil, usagef("%s: no test binary (no tests?)", p.ImportPath)
	}
	tests, err := listTests(ctx, bin, p.Dir)
	if err != nil {
		return nil, fmt.Errorf("%s: listing tests: %v", p.ImportPath, err)
	}
	return &target{pkg: p, bin: bin, tests: tests}, nil
}

var testName = regexp.MustCompile(`^Test[\p{L}\p{N}_]*$`)

// listTests asks the test binary for its top-level tests (benchmarks,
// examples and fuzz targets are not hunted).
func listTests(ctx context.Context, bin, dir string) ([]string, error) {
	cmd := exec.CommandContext(ctx, bin, "-test.list", ".")
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%v: %s", err, firstLine(stderr.String(), err))
	}
	var tests []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); testName.MatchString(line) {
			tests = append(tests, line)
		}
	}
	return tests, sc.Err()
}

// firstLines returns up to n non-empty lines of s.
func firstLines(s string, n int) string {
	var lines []string
	for line := range strings.SplitSeq(s, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		lines = append(lines, line)
		if len(lines) == n {
			break
		}
	}
	return strings.Join(lines, "\n")
}
