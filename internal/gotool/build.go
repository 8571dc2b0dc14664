package gotool

import (
	"context"
	"strings"
)

// A TestBuild is one `go test -c`: the package's test binary, written to
// Output, with the flags a verb needs.
type TestBuild struct {
	Package string // import path (or directory) of the package
	Output  string // the binary to write
	// Race builds with the race detector; NoVet skips go vet (an overlay
	// that adds a directory makes vet fail); TrimPath removes file system
	// paths from the binary.
	Race, NoVet, TrimPath bool
	// Overlay and ModFile, when set, are -overlay and -modfile.
	Overlay, ModFile string
	// Env is added to the go command's environment ("GOEXPERIMENT=...").
	Env []string
}

// args are the go command's arguments for b.
func (b TestBuild) args() []string {
	args := []string{"test", "-c"}
	for _, f := range []struct {
		on   bool
		flag string
	}{{b.Race, "-race"}, {b.NoVet, "-vet=off"}, {b.TrimPath, "-trimpath"}, {b.Overlay != "", "-overlay=" + b.Overlay}, {b.ModFile != "", "-modfile=" + b.ModFile}} {
		if f.on {
			args = append(args, f.flag)
		}
	}
	// No "--" before the package: go test would take it for a flag of the
	// test binary and build the package in the current directory.
	return append(args, "-o", b.Output, b.Package)
}

// A BuildError is a test binary that did not build: Output is all the go
// command printed.
type BuildError struct {
	Package string
	Output  string
	Err     error // the go command's exit
}

func (e *BuildError) Error() string {
	return "go test -c " + e.Package + ": " + e.FirstLine()
}

func (e *BuildError) Unwrap() error { return e.Err }

// FirstLine is the compiler's first line (the go command's "# pkg"
// headers left out), or the go command's error where it printed none.
func (e *BuildError) FirstLine() string { return FirstLine(e.Output, e.Err) }

// Lines returns up to n non-empty lines of the output, headers included:
// what a user needs to see to fix the build.
func (e *BuildError) Lines(n int) string {
	var lines []string
	for line := range strings.SplitSeq(e.Output, "\n") {
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

// BuildTest runs `go test -c` for b in dir. A build that fails is a
// [*BuildError]; a cancelled ctx returns ctx.Err().
func BuildTest(ctx context.Context, dir string, b TestBuild) error {
	cmd := Go(ctx, dir, b.args()...)
	cmd.Env = append(cmd.Env, b.Env...)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err != nil {
		return &BuildError{Package: b.Package, Output: out.String(), Err: err}
	}
	return nil
}
