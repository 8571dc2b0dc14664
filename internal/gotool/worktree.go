package gotool

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// A Worktree is a detached git worktree of one commit, under a temporary
// directory outside the user's checkout.
type Worktree struct {
	repo, dir string
	// Commit is the commit's full hash; Cwd is the directory of the
	// worktree that corresponds to the directory it was made from.
	Commit, Cwd string
}

// A RefError is a ref that names no commit, or a directory in no git
// repository: the user's mistake, not the tool's.
type RefError struct{ Ref, Msg string }

func (e *RefError) Error() string { return e.Ref + ": " + e.Msg }

// AddWorktree checks ref out in a new worktree. The user's checkout,
// index and work tree are left alone; [Worktree.Remove] deletes the
// worktree and its registration.
func AddWorktree(ctx context.Context, cwd, ref string) (*Worktree, error) {
	top, err := git(ctx, cwd, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, &RefError{Ref: ref, Msg: fmt.Sprintf("not in a git repository: %v", err)}
	}
	commit, err := git(ctx, cwd, "rev-parse", "--verify", "--quiet", ref+"^{commit}")
	if err != nil {
		return nil, &RefError{Ref: ref, Msg: "not a commit of " + top + " (fetch it, or a deeper history)"}
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
	return &Worktree{repo: top, dir: dir, Commit: commit, Cwd: filepath.Join(dir, rel)}, nil
}

// Remove deletes the worktree; it runs even when the context AddWorktree
// had is done.
func (w *Worktree) Remove() error {
	_, err := git(context.Background(), w.repo, "worktree", "remove", "--force", w.dir)
	os.RemoveAll(filepath.Dir(w.dir))
	if err != nil {
		_, err = git(context.Background(), w.repo, "worktree", "prune")
	}
	return err
}

// git runs git in dir and returns its trimmed output.
func git(ctx context.Context, dir string, args ...string) (string, error) {
	stdout, stderr, err := Output(Command(ctx, dir, "git", args...))
	if err != nil {
		return "", errors.New(FirstLine(string(stderr), err))
	}
	return strings.TrimSpace(string(stdout)), nil
}
