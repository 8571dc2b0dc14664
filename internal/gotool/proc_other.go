//go:build !unix

package gotool

import "os/exec"

func setProcessGroup(cmd *exec.Cmd) {}

// Kill kills a started child and, on unix, every process of its group.
func Kill(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = cmd.Process.Kill()
	}
}

// Quit asks a started child for its goroutine dump: a Go program's
// runtime prints it on SIGQUIT and exits. Where there is no SIGQUIT, it
// kills the child.
func Quit(cmd *exec.Cmd) { Kill(cmd) }
