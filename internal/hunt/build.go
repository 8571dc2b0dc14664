package hunt

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/conclab/conclab/internal/gotool"
)

// A target is one built package: its test binary and its tests.
type target struct {
	pkg   *gotool.Package
	bin   string
	tests []string
}

// buildAll builds every package's test binary once, at most parallel at a
// time, and lists its tests. The first failure is returned after the builds
// under way have finished. A package left unbuilt because ctx ended has a
// nil target.
func buildAll(ctx context.Context, cfg *Config, work string, pkgs []*gotool.Package) ([]*target, error) {
	targets := make([]*target, len(pkgs))
	var g errgroup.Group
	g.SetLimit(cfg.Parallel)
	for i, p := range pkgs {
		g.Go(func() error {
			if ctx.Err() != nil {
				return nil // not built: the caller tells Ctrl-C from -time
			}
			t, err := build(ctx, cfg, filepath.Join(work, fmt.Sprintf("pkg%d", i)), p)
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return err
			}
			targets[i] = t
			if cfg.Progress != nil {
				fmt.Fprintf(cfg.Progress, "hunt: built %s (%d test%s)\n", p.ImportPath, len(t.tests), plural(len(t.tests)))
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return targets, nil
}

// build compiles p's test binary into dir and lists its tests.
func build(ctx context.Context, cfg *Config, dir string, p *gotool.Package) (*target, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	bin := filepath.Join(dir, "test.bin")
	err := compile(ctx, cfg, dir, bin, p, false)
	if err != nil && !cfg.Plain && ctx.Err() == nil {
		// A package whose API hands its locks to another package does not
		// compile with the instrumented lock: keep sync's, hunt the rest.
		if err2 := compile(ctx, cfg, filepath.Join(dir, "nolocks"), bin, p, true); err2 == nil {
			err = nil
		}
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if be, ok := errors.AsType[*gotool.BuildError](err); ok {
		return nil, &gotool.UsageError{Msg: fmt.Sprintf("%s does not build: %s", p.ImportPath, be.FirstLine()), Detail: be.Lines(10)}
	} else if err != nil {
		return nil, &gotool.UsageError{Msg: fmt.Sprintf("%s does not build: %v", p.ImportPath, err)}
	}
	if _, err := os.Stat(bin); err != nil {
		return nil, gotool.Usagef("%s: no test binary (no tests?)", p.ImportPath)
	}
	tests, err := listTests(ctx, bin, p.Dir)
	if err != nil {
		return nil, fmt.Errorf("%s: listing tests: %v", p.ImportPath, err)
	}
	return &target{pkg: p, bin: bin, tests: tests}, nil
}

// compile builds p's test binary, instrumented into dir unless cfg.Plain.
func compile(ctx context.Context, cfg *Config, dir, bin string, p *gotool.Package, noLocks bool) error {
	b := gotool.TestBuild{Package: p.ImportPath, Output: bin, Race: true, NoVet: true}
	if !cfg.Plain {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		ib, err := instrumentBuild(dir, cfg.goMod, p, noLocks)
		if err != nil {
			return fmt.Errorf("instrument %s: %v", p.ImportPath, err)
		}
		b.Overlay, b.ModFile = ib.Overlay, ib.ModFile
		b.Env = leakProfileEnv(ctx, cfg.Dir)
	}
	return gotool.BuildTest(ctx, cfg.Dir, b)
}

var testName = regexp.MustCompile(`^Test[\p{L}\p{N}_]*$`)

// listTests asks the test binary for its top-level tests (benchmarks,
// examples and fuzz targets are not hunted).
func listTests(ctx context.Context, bin, dir string) ([]string, error) {
	cmd := gotool.Command(ctx, dir, bin, "-test.list", ".")
	cmd.Env = append(cmd.Env, goraceEnv())
	out, stderr, err := gotool.Output(cmd)
	if err != nil {
		return nil, fmt.Errorf("%v: %s", err, gotool.FirstLine(string(stderr), err))
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

// leakProfileEnv is the GOEXPERIMENT setting that gives the hunted binary
// the goroutineleak profile (Go 1.26's experiment: a GC that finds the
// goroutines blocked on what no live goroutine can reach), where the
// toolchain in dir has it and the user has not turned it off; nil
// elsewhere. The injected runtime labels a leak definite with it.
func leakProfileEnv(ctx context.Context, dir string) []string {
	leakEnvOnce.Do(func() {
		out, _, err := gotool.Output(gotool.Go(ctx, dir, "env", "GOROOT", "GOEXPERIMENT"))
		if err != nil {
			return
		}
		lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
		if len(lines) < 2 {
			lines = append(lines, "")
		}
		goroot, exp := strings.TrimSpace(lines[0]), strings.TrimSpace(lines[1])
		if _, err := os.Stat(filepath.Join(goroot, "src", "internal", "goexperiment", "exp_goroutineleakprofile_on.go")); err != nil {
			return
		}
		if strings.Contains(exp, "goroutineleakprofile") { // on already, or nogoroutineleakprofile: the user's choice
			return
		}
		if exp != "" {
			exp += ","
		}
		leakEnv = []string{"GOEXPERIMENT=" + exp + "goroutineleakprofile"}
	})
	return leakEnv
}

var (
	leakEnvOnce sync.Once
	leakEnv     []string
)
