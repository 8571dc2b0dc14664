//go:build unix

package verdict

import (
	"syscall"
	"time"
)

// ownCPU returns the CPU time of this process and of the children it has
// waited for: the process tree whose load is not "other programs".
func ownCPU() time.Duration {
	var total time.Duration
	for _, who := range []int{syscall.RUSAGE_SELF, syscall.RUSAGE_CHILDREN} {
		var ru syscall.Rusage
		if err := syscall.Getrusage(who, &ru); err == nil {
			total += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	return total
}
