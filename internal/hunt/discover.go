package hunt

import (
	"context"
	"errors"
	"strings"

	"github.com/conclab/conclab/internal/gotool"
)

// discover lists the packages that patterns name, in the go command's order.
// A pattern that names no Go package, or a package that cannot be loaded, is
// a usage error; so is a package named outright (not by a "..." pattern) that
// has no tests. Packages without tests matched by "..." are skipped.
func discover(ctx context.Context, dir string, patterns []string) ([]*gotool.Package, error) {
	all, err := gotool.List(ctx, dir, []string{"-race"}, patterns...) // as the hunted build sees the files
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if gerr, ok := errors.AsType[*gotool.Error](err); ok {
		return nil, gotool.Usagef("%v", gerr)
	} else if err != nil {
		return nil, err
	}
	var pkgs []*gotool.Package
	for _, p := range all {
		if p.Error != nil {
			return nil, gotool.Usagef("%s: %s", p.ImportPath, gotool.FirstLine(p.Error.Err, nil))
		}
		if len(p.DepsErrors) > 0 {
			return nil, gotool.Usagef("%s: %s", p.ImportPath, gotool.FirstLine(p.DepsErrors[0].Err, nil))
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) == 0 {
		return nil, gotool.Usagef("%s: matched no packages", strings.Join(patterns, " "))
	}
	var withTests []*gotool.Package
	for _, p := range pkgs {
		if p.HasTests() {
			withTests = append(withTests, p)
			continue
		}
		if !anyWildcard(patterns) {
			return nil, gotool.Usagef("%s: no test files (nothing to hunt)", p.ImportPath)
		}
	}
	if len(withTests) == 0 {
		return nil, gotool.Usagef("%s: no package with test files (nothing to hunt)", strings.Join(patterns, " "))
	}
	return withTests, nil
}

// goMod returns the main module's go.mod, as `go env GOMOD` says.
func goMod(ctx context.Context, dir string) (string, error) {
	return gotool.Env(ctx, dir, "GOMOD")
}

func anyWildcard(patterns []string) bool {
	for _, p := range patterns {
		if strings.Contains(p, "...") {
			return true
		}
	}
	return false
}
