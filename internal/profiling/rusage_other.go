//go:build !unix

package profiling

import "time"

// childrenCPU is unknown where getrusage is missing.
func childrenCPU() time.Duration { return 0 }
