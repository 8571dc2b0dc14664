package scale

import (
	"context"
	"errors"
	"path/filepath"
	"strings"

	"github.com/conclab/conclab/internal/gotool"
)

// goList resolves the package patterns in dir.
func goList(ctx context.Context, dir string, patterns []string) ([]*gotool.Package, error) {
	pkgs, err := gotool.List(ctx, dir, nil, patterns...)
	if gerr, ok := errors.AsType[*gotool.Error](err); ok {
		return nil, gotool.Usagef("go list %s: %s", strings.Join(patterns, " "), gerr.Line)
	} else if err != nil {
		return nil, err
	}
	for _, p := range pkgs {
		if p.Error != nil {
			return nil, gotool.Usagef("%s: %s", p.ImportPath, gotool.FirstLine(p.Error.Err, nil))
		}
	}
	if len(pkgs) == 0 {
		return nil, gotool.Usagef("%s: no Go packages", strings.Join(patterns, " "))
	}
	return pkgs, nil
}

// buildTest compiles p's test binary into dir, once; the user's tree is not
// written (go test -c -o writes only the binary).
func buildTest(ctx context.Context, p *gotool.Package, dir string) (string, error) {
	bin := filepath.Join(dir, strings.NewReplacer("/", "_", ".", "_").Replace(p.ImportPath)+".test")
	if err := gotool.BuildTest(ctx, p.Dir, gotool.TestBuild{Package: p.ImportPath, Output: bin}); err != nil {
		return "", err
	}
	return bin, nil
}

// addWorktree checks out ref in a temporary worktree (see
// [gotool.AddWorktree]); an unknown ref is a usage error.
func addWorktree(ctx context.Context, cwd, ref string) (*gotool.Worktree, error) {
	wt, err := gotool.AddWorktree(ctx, cwd, ref)
	if re, ok := errors.AsType[*gotool.RefError](err); ok {
		return nil, gotool.Usagef("-base %v", re)
	}
	return wt, err
}
