// Package notest has no tests.
package notest

// F does nothing.
func F() {}
