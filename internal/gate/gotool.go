package gate

// The go and git commands the gate runs, through internal/gotool: listing
// the packages, building a test binary, and the temporary worktree of the
// base. (The benchmark runs themselves go through perf/gate's Exec.)

import (
	"context"
	"errors"

	"github.com/conclab/conclab/internal/gotool"
)

// pkg is one package, as go list describes it.
type pkg = *gotool.Package

// goList resolves the package patterns in dir. A pattern that is no package
// is a usage error; with missingOK, a package with an error (at a base that
// predates it) comes back with Error set instead.
func goList(ctx context.Context, dir string, patterns []string, missingOK bool) ([]pkg, error) {
	pkgs, err := gotool.List(ctx, dir, []string{"-json=ImportPath,Dir,TestGoFiles,XTestGoFiles,Error"}, patterns...)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var ge *gotool.Error
		if errors.As(err, &ge) {
			return nil, gotool.Usagef("go list: %s", ge.Line)
		}
		return nil, err
	}
	if !missingOK {
		for _, p := range pkgs {
			if p.Error != nil {
				return nil, gotool.Usagef("%s: %s", p.ImportPath, gotool.FirstLine(p.Error.Err, nil))
			}
		}
	}
	return pkgs, nil
}

// buildTest compiles the test binary of importPath, from dir, into bin:
// once, with -trimpath, so that the same code in two checkouts builds the
// same binary. The error is the compiler's first line.
func buildTest(ctx context.Context, dir, importPath, bin string) error {
	err := gotool.BuildTest(ctx, dir, gotool.TestBuild{Package: importPath, Output: bin, TrimPath: true})
	var be *gotool.BuildError
	if errors.As(err, &be) {
		return errors.New(be.FirstLine())
	}
	return err
}

// addWorktree checks out ref in a new worktree under a temporary
// directory. A ref that is not a commit is a usage error.
func addWorktree(ctx context.Context, cwd, ref string) (*gotool.Worktree, error) {
	wt, err := gotool.AddWorktree(ctx, cwd, ref)
	var re *gotool.RefError
	if errors.As(err, &re) {
		return nil, gotool.Usagef("-base %s", re.Error())
	}
	return wt, err
}
