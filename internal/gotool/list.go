package gotool

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// A Package is one package as `go list -json` reports it: the fields the
// verbs use.
type Package struct {
	ImportPath   string
	Dir          string // absolute
	Name         string
	GoFiles      []string // base names, in Dir
	CgoFiles     []string
	TestGoFiles  []string
	XTestGoFiles []string
	Deps         []string
	Module       *Module
	// Error is why the package could not be loaded (`go list -e`), and
	// DepsErrors why its dependencies could not.
	Error      *PackageError
	DepsErrors []*PackageError
}

// A Module is the module a [Package] belongs to.
type Module struct {
	Path      string
	Dir       string
	GoVersion string
	Main      bool
}

// A PackageError is a package's loading error, as `go list -e` reports it.
type PackageError struct {
	Err string
}

// HasTests reports whether p has test files of either kind.
func (p *Package) HasTests() bool {
	return len(p.TestGoFiles)+len(p.XTestGoFiles) > 0
}

// An Error is a go command (or git) that failed: Line is the first line
// it printed on stderr, or why it could not run.
type Error struct {
	Cmd  string // "go list"
	Line string
}

func (e *Error) Error() string { return e.Cmd + ": " + e.Line }

// List runs `go list -e -json flags -- patterns` in dir and returns the
// packages in the go command's order. A package that cannot be loaded is
// listed with its Error; a go command that fails is an [*Error].
func List(ctx context.Context, dir string, flags []string, patterns ...string) ([]*Package, error) {
	args := append(append([]string{"list", "-e", "-json"}, flags...), "--")
	stdout, stderr, err := Output(Go(ctx, dir, append(args, patterns...)...))
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		return nil, &Error{Cmd: "go list", Line: FirstLine(string(stderr), err)}
	}
	var pkgs []*Package
	dec := json.NewDecoder(bytes.NewReader(stdout))
	for {
		p := new(Package)
		if err := dec.Decode(p); errors.Is(err, io.EOF) {
			return pkgs, nil
		} else if err != nil {
			return nil, fmt.Errorf("go list: %v", err)
		}
		pkgs = append(pkgs, p)
	}
}

// Env returns the go command's setting of the environment variable name
// in dir (`go env name`): "GOMOD", "GOMODCACHE".
func Env(ctx context.Context, dir, name string) (string, error) {
	stdout, stderr, err := Output(Go(ctx, dir, "env", name))
	if ctx.Err() != nil {
		return "", ctx.Err()
	}
	if err != nil {
		return "", &Error{Cmd: "go env " + name, Line: FirstLine(string(stderr), err)}
	}
	return string(bytes.TrimSpace(stdout)), nil
}
