package gotool

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"time"
)

// WaitDelay is how long a child's output pipes stay open after the child
// exits or is killed: a grandchild that keeps them open cannot make Wait
// hang past it.
const WaitDelay = 2 * time.Second

// Command returns the command that runs name with args in dir (the current
// directory if empty). Its environment is this process's (os.Environ(),
// without the PWD that os/exec would add for dir, so that two children
// run in directories of different lengths see the same environment);
// append to cmd.Env for more. It runs in a process group of its own on
// unix, so that Ctrl-C at a terminal reaches only the parent, which stops
// its children itself, and cancelling ctx kills the child and all it
// started.
func Command(ctx context.Context, dir, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = os.Environ()
	cmd.WaitDelay = WaitDelay
	setProcessGroup(cmd)
	return cmd
}

// Go returns the go command with args, as [Command] prepares it.
func Go(ctx context.Context, dir string, args ...string) *exec.Cmd {
	return Command(ctx, dir, "go", args...)
}

// Output runs cmd and returns what it wrote to stdout and to stderr.
func Output(cmd *exec.Cmd) (stdout, stderr []byte, err error) {
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return o.Bytes(), e.Bytes(), err
}
