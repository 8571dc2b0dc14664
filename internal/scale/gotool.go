package scale

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

// pkg is one package of the user's module, as go list describes it.
type pkg struct {
	ImportPath   string
	Dir          string
	TestGoFiles  []string
	XTestGoFiles []string
	Error        *struct{ Err string }
}

// UsageError is bad input from the user: not a Go package, an unknown base
// ref, a benchmark pattern matching nothing. The command exits with status
// 2 on it.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

func usageErrorf(format string, args ...any) error {
	return &UsageError{fmt.Errorf(format, args...)}
}

// goList resolves the package patterns in dir.
func goList(ctx context.Context, dir string, patterns []string) ([]pkg, error) {
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
		return nil, usageErrorf("go list %s: %s", strings.Join(patterns, " "), firstLine(stderr.String(), err))
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
		if p.Error != nil {
			return nil, usageErrorf("%s: %s", p.ImportPath, firstLine(p.Error.Err, nil))
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) == 0 {
		return nil, usageErrorf("%s: no Go packages", strings.Join(patterns, " "))
	}
	return pkgs, nil
}

// buildTest compiles p's test binary into dir, once; the user's tree is not
// written (go test -c -o writes only the binary).
func buildTest(ctx context.Context, p pkg, dir string) (string, error) {
	bin := filepath.Join(dir, strings.NewReplacer("/", "_", ".", "_").Replace(p.ImportPath)+".test")
	cmd := exec.CommandContext(ctx, "go", "test", "-c", "-o", bin, "--", p.ImportPath)
	cmd.Dir = p.Dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", fmt.Errorf("go test -c %s: %s", p.ImportPath, firstLine(out.String(), err))
	}
	return bin, nil
}

// worktree is a detached git worktree of a base commit, outside the user's
// checkout.
type worktree struct {
	repo, dir string
	// Commit is the base's full hash; Cwd is the directory in the worktree
	// that corresponds to the directory scale was started in.
	Commit, Cwd string
}

// addWorktree checks out ref in a new worktree under a temporary directory.
// An unknown ref is a usage error. The user's checkout, index and work tree
// are left alone; remove deletes the worktree and its registration.
func addWorktree(ctx context.Context, cwd, ref string) (*worktree, error) {
	top, err := git(ctx, cwd, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, usageErrorf("-base %s: not in a git repository: %v", ref, err)
	}
	commit, err := git(ctx, cwd, "rev-parse", "--verify", "--quiet", ref+"^{commit}")
	if err != nil {
		return nil, usageErrorf("-base %s: no such commit in %s", ref, top)
	}
	rel, err := filepath.Rel(top, cwd)
	if err != nil {
		return nil, err
	}
	if real, err := filepath.EvalSymlinks(cwd); err == nil {
		if r, err := filepath.Rel(top, real); err == nil && !strings.HasPrefix(r, "..") {
			rel = r
		}
	}
	tmp, err := os.MkdirTemp("", "conclab-scale-base-")
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

// remove deletes the worktree; it runs even when ctx is done.
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

// firstLine is the first non-empty line of s, or err's message.
func firstLine(s string, err error) string {
	for l := range strings.SplitSeq(s, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			return l
		}
	}
	if err != nil {
		return err.Error()
	}
	return "failed"
}
