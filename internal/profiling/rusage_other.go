//go:build !unix

package profiling

import "time"

// childrenCPU is unknown where getrusage is missing.
func childrenCPU() time.Duration { return 0 }

// selfCPU is unknown where getrusage is missing.
func selfCPU() (time.Duration, bool) { return 0, false }
