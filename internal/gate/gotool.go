package gate

// Every go and git command the gate runs is in this file: listing the
// packages, building a test binary, and the temporary worktree of the base.
// (The benchmark runs themselves go through perf/gate's Exec.) It is the one
// file to move onto a shared go-command layer.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// pkg is one package, as go list describes it.
type pkg struct {
	ImportPath   string
	Dir          string
	TestGoFiles  []string
	XTestGoFiles []string
	Error        *struct{ Err string }
}

func (p pkg) hasTests() bool { return len(p.TestGoFiles)+len(p.XTestGoFiles) > 0 }

// goList resolves the package patterns in dir. A pattern that is no package
// is a usage error; with missingOK, a package with an error (at a base that
// predates it) comes back with Error set instead.
func goList(ctx context.Context, dir string, patterns []string, missingOK bool) ([]pkg, error) {
	args := append([]string{"list", "-e", "-json=ImportPath,Dir,TestGoFiles,XTestGoFiles,Error", "--"}, patterns...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, usagef("go list %s: %s", strings.Join(patterns, " "), firstLine(stderr.String(), err))
	}
	var pkgs []pkg
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, err
		}
		if p.Error != nil && !missingOK {
			return nil, usagef("%s: %s", p.ImportPath, firstLine(p.Error.Err, nil))
		}
		pkgs = append(pkgs, p)
	}
	return pkgs, nil
}

// buildTest compiles the test binary of importPath, from dir, into bin:
// once, with -trimpath, so that the same code in two checkouts builds the
// same binary. The error is the compiler's first line.
func buildTest(ctx context.Context, dir, importPath, bin string) error {
	cmd := exec.CommandContext(ctx, "go", "test", "-c", "-trimpath", "-o", bin, importPath)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return errors.New(firstLine(out.String(), err))
	}
	return nil
}

// worktree is a detached git worktree of the base commit, outside the
// user's checkout.
type worktree struct {
	repo, dir string
	// Commit is the base's full hash; Cwd is the directory in the worktree
	// that corresponds to the one the gate started in.
	Commit, Cwd string
}

// addWorktree checks out ref in a new worktree under a temporary
// directory. A ref that is not a commit is a usage error. The user's
// checkout, index and work tree are left alone; remove deletes the worktree
// and its registration.
func addWorktree(ctx context.Context, cwd, ref string) (*worktree, error) {
	top, err := git(ctx, cwd, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, usagef("-base %s: not in a git repository: %v", ref, err)
	}
	commit, err := git(ctx, cwd, "rev-parse", "--verify", "--quiet", ref+"^{commit}")
	if err != nil {
		return nil, usagef("-base %s: not a commit of %s (fetch it, or a deeper history)", ref, top)
	}
	realCwd, err := filepath.EvalSymlinks(cwd)
	if err != nil {
		return nil, err
	}
	rel, err := filepath.Rel(top, realCwd)
	if err != nil || strings.HasPrefix(rel, "..") {
		return nil, fmt.Errorf("%s is not inside %s", cwd, top)
	}
	tmp, err := os.MkdirTemp("", "conclab-gate-base-")
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(tmp, "base")
	if _, err := git(ctx, top, "worktree", "add", "--detach", dir, commit); err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("git worktree add: %v", err)
	}
	return &worktree{repo: top, dir: dir, Commit: commit, Cwd: filepath.Join(dir, rel)}, nil
}

// remove deletes the worktree; it runs even when the gate was interrupted.
func (w *worktree) remove() error {
	_, err := git(context.Background(), w.repo, "worktree", "remove", "--force", w.dir)
	os.RemoveAll(filepath.Dir(w.dir))
	if err != nil {
		_, err = git(context.Background(), w.repo, "worktree", "prune")
	}
	return err
}

// git runs git in dir and returns its trimmed output.
func git(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", errors.New(firstLine(stderr.String(), err))
	}
	return strings.TrimSpace(string(out)), nil
}

// firstLine is the first telling line of a command's output (a compiler
// error's file:line first), or err's message.
func firstLine(s string, err error) string {
	var first string
	for l := range strings.SplitSeq(s, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		if strings.Contains(l, ".go:") {
			return l
		}
		if first == "" {
			first = l
		}
	}
	if first != "" {
		return first
	}
	if err != nil {
		return err.Error()
	}
	return "failed"
}
