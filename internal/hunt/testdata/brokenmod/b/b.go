// Package b does not compile.
package b

// F returns the wrong type.
func F() int { return "x" }
