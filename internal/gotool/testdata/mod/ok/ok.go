// Package ok builds, and its tests pass.
package ok

// Double returns 2n.
func Double(n int) int { return 2 * n }
