//go:build unix

package hunt

import (
	"os/exec"
	"syscall"
)

// setProcessGroup puts the child in its own process group, so that Ctrl-C
// at the terminal reaches only hunt, which stops each child itself, and
// cancelling the child kills whatever it started too.
func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { killGroup(cmd); return nil }
}

func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}

// quit asks the child for its goroutine dump (the runtime prints it on SIGQUIT and exits).
func quit(cmd *exec.Cmd) { _ = cmd.Process.Signal(syscall.SIGQUIT) }
