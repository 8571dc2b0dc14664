//go:build unix

package gotool

import (
	"os/exec"
	"syscall"
)

func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { Kill(cmd); return nil }
}

// Kill kills a started child and, on unix, every process of its group.
func Kill(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}

// Quit asks a started child for its goroutine dump: a Go program's
// runtime prints it on SIGQUIT and exits. Where there is no SIGQUIT, it
// kills the child.
func Quit(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = cmd.Process.Signal(syscall.SIGQUIT)
	}
}
