package hunt

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
)

// A listedPackage is one package as `go list -json` reports it.
type listedPackage struct {
	ImportPath   string
	Dir          string
	Name         string
	GoFiles      []string
	CgoFiles     []string
	TestGoFiles  []string
	XTestGoFiles []string
	Module       *struct {
		Path, Dir, GoVersion string
		Main                 bool
	}
	Error      *struct{ Err string }
	DepsErrors []*struct{ Err string }
}

func (p *listedPackage) hasTests() bool {
	return len(p.TestGoFiles)+len(p.XTestGoFiles) > 0
}

// discover lists the packages that patterns name, in the go command's order.
// A pattern that names no Go package, or a package that cannot be loaded, is
// a usage error; so is a package named outright (not by a "..." pattern) that
// has no tests. Packages without tests matched by "..." are skipped.
func discover(ctx context.Context, dir string, patterns []string) ([]*listedPackage, error) {
	args := append([]string{"list", "-e", "-json", "-race"}, patterns...) // as the hunted build sees the files
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		return nil, usagef("go list: %s", firstLine(stderr.String(), err))
	}
	var pkgs []*listedPackage
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		p := new(listedPackage)
		if err := dec.Decode(p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("go list: %v", err)
		}
		if p.Error != nil {
			return nil, usagef("%s: %s", p.ImportPath, firstLine(p.Error.Err, nil))
		}
		if len(p.DepsErrors) > 0 {
			return nil, usagef("%s: %s", p.ImportPath, firstLine(p.DepsErrors[0].Err, nil))
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) == 0 {
		return nil, usagef("%s: matched no packages", strings.Join(patterns, " "))
	}
	var withTests []*listedPackage
	for _, p := range pkgs {
		if p.hasTests() {
			withTests = append(withTests, p)
			continue
		}
		if !anyWildcard(patterns) {
			return nil, usagef("%s: no test files (nothing to hunt)", p.ImportPath)
		}
	}
	if len(withTests) == 0 {
		return nil, usagef("%s: no package with test files (nothing to hunt)", strings.Join(patterns, " "))
	}
	return withTests, nil
}

// goMod returns the main module's go.mod, as `go env GOMOD` says.
func goMod(ctx context.Context, dir string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "env", "GOMOD")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %v", err)
	}
	return strings.TrimSpace(string(out)), nil
}

func anyWildcard(patterns []string) bool {
	for _, p := range patterns {
		if strings.Contains(p, "...") {
			return true
		}
	}
	return false
}

// firstLine returns the first non-empty line of s, or err's text when s has none.
func firstLine(s string, err error) string {
	for line := range strings.SplitSeq(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			return line
		}
	}
	if err != nil {
		return err.Error()
	}
	return "failed"
}
