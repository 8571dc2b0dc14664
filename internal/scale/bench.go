package scale

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"golang.org/x/perf/benchfmt"
)

// line is one benchmark result as a child printed it.
type line struct {
	// Name is the full name, "BenchmarkX/sub", without the GOMAXPROCS
	// suffix.
	Name                             string
	Iters                            int
	NsPerOp, BytesPerOp, AllocsPerOp float64
	HasMem                           bool
}

// parseOutput reads the standard benchmark format from out with benchfmt.
// procs is the GOMAXPROCS the child ran at: testing appends "-procs" to
// names when it is not 1, and only that suffix is removed, so that a
// sub-benchmark called "size-1024" keeps its name.
func parseOutput(out []byte, procs int) ([]line, error) {
	r := benchfmt.NewReader(bytes.NewReader(out), "output")
	var lines []line
	suffix := fmt.Sprintf("-%d", procs)
	for r.Scan() {
		switch rec := r.Result().(type) {
		case *benchfmt.Result:
			name := "Benchmark" + rec.Name.String() // benchfmt drops the prefix
			if procs != 1 {
				name = strings.TrimSuffix(name, suffix)
			}
			l := line{Name: name, Iters: rec.Iters}
			var ok bool
			if l.NsPerOp, ok = nsPerOp(rec); !ok {
				continue // a line with custom units only
			}
			b, okB := rec.Value("B/op")
			a, okA := rec.Value("allocs/op")
			if okB && okA {
				l.BytesPerOp, l.AllocsPerOp, l.HasMem = b, a, true
			}
			lines = append(lines, l)
		case *benchfmt.SyntaxError:
			// Output a benchmark printed itself, or a line cut by a crash:
			// not a result.
		}
	}
	return lines, r.Err()
}

// exactPattern is the -test.bench pattern that selects the benchmark
// called name and none of its siblings: each level of the name, quoted and
// anchored ("^BenchmarkX$/^size=8$"), since testing matches a
// sub-benchmark level by level.
func exactPattern(name string) string {
	parts := strings.Split(name, "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	return strings.Join(parts, "/")
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

// nsPerOp is the result's time per op in ns, exactly as printed where it
// was printed in ns/op.
func nsPerOp(rec *benchfmt.Result) (float64, bool) {
	for _, v := range rec.Values {
		if v.OrigUnit == "ns/op" {
			return v.OrigValue, true
		}
	}
	s, ok := rec.Value("sec/op")
	return s * 1e9, ok
}
