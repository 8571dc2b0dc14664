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
				fmt.Fprintf(cfg.Progress, "hunt: built %s (%d test%s)\n", p.ImportPath, len(targets[i].tests), plural(len(targets[i].tests)))
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
	out, err := compile(ctx, cfg, dir, bin, p, false)
	if err != nil && !cfg.Plain && ctx.Err() == nil {
		// A package whose API hands its locks to another package does not
		// compile with the instrumented lock: keep sync's, hunt the rest.
		if out2, err2 := compile(ctx, cfg, filepath.Join(dir, "nolocks"), bin, p, true); err2 == nil {
			out, err = out2, nil
		}
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		return nil, &UsageError{
			Msg:    fmt.Sprintf("%s does not build: %s", p.ImportPath, firstLine(compilerLines(out), err)),
			Detail: firstLines(out, 10),
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

// compile builds p's test binary, instrumented into dir unless cfg.Plain.
func compile(ctx context.Context, cfg *Config, dir, bin string, p *listedPackage, noLocks bool) (string, error) {
	args := []string{"test", "-c", "-race", "-vet=off", "-o", bin}
	if !cfg.Plain {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", err
		}
		flags, err := instrumentFlags(dir, cfg.goMod, p, noLocks)
		if err != nil {
			return "", fmt.Errorf("instrument %s: %v", p.ImportPath, err)
		}
		args = append(args, flags...)
	}
	args = append(args, p.ImportPath)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = cfg.Dir
	out, err := cmd.CombinedOutput()
	return string(out), err
}

var testName = regexp.MustCompile(`^Test[\p{L}\p{N}_]*$`)

// listTests asks the test binary for its top-level tests (benchmarks,
// examples and fuzz targets are not hunted).
func listTests(ctx context.Context, bin, dir string) ([]string, error) {
	cmd := exec.CommandContext(ctx, bin, "-test.list", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), goraceEnv())
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

// compilerLines drops the "# pkg" headers of the go command's build output.
func compilerLines(out string) string {
	var keep []string
	for line := range strings.SplitSeq(out, "\n") {
		if !strings.HasPrefix(line, "# ") {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "\n")
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
