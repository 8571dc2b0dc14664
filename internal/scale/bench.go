package scale

import (
	"slices"

	"github.com/conclab/conclab/internal/gotool"
)

// parseOutput reads the benchmark results in out that have a time per op
// (a line with custom units only has none): see [gotool.ParseBench].
func parseOutput(out []byte, procs int) ([]gotool.BenchResult, error) {
	rs, err := gotool.ParseBench(out, procs)
	return slices.DeleteFunc(rs, func(r gotool.BenchResult) bool { return !r.HasTime }), err
}

// topLevel is the first level of a -bench pattern, the part testing
// matches against top-level benchmark names: up to the first slash outside
// brackets and parentheses.
func topLevel(pattern string) string {
	depth := 0
	for i := 0; i < len(pattern); i++ {
		switch pattern[i] {
		case '\\':
			i++
		case '[', '(':
			depth++
		case ']', ')':
			depth--
		case '/':
			if depth == 0 {
				return pattern[:i]
			}
		}
	}
	return pattern
}
