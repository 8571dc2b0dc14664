//go:build unix

package profiling

import (
	"syscall"
	"time"
)

// childrenCPU returns the CPU time of the process's children that have
// exited and been waited for: the CPU a process pool's workers used, which
// the parent's CPU profile cannot see.
func childrenCPU() time.Duration {
	return rusage(syscall.RUSAGE_CHILDREN)
}

func rusage(who int) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(who, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
