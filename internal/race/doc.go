// Package race reports whether the race detector is compiled in, as the
// standard library's internal/race does. Tests use it to size their work:
// code under -race runs several times slower, and a test sized for the
// demo would blow the suite's time budget.
package race
