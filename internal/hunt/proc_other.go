//go:build !unix

package hunt

import "os/exec"

func setProcessGroup(cmd *exec.Cmd) {}

func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = cmd.Process.Kill()
	}
}

func quit(cmd *exec.Cmd) { killGroup(cmd) }
