package gotool

import (
	"bytes"
	"fmt"
	"strings"

	"golang.org/x/perf/benchfmt"
)

// A BenchResult is one result line of the standard benchmark format.
type BenchResult struct {
	// Name is the full name, "BenchmarkX/sub", without the GOMAXPROCS
	// suffix.
	Name  string
	Iters int
	// NsPerOp is the time per op, exactly as printed where it was printed
	// in ns/op; HasTime is false for a line with custom units only.
	NsPerOp float64
	HasTime bool
	// BytesPerOp and AllocsPerOp are set, and HasMem, with -benchmem.
	BytesPerOp, AllocsPerOp float64
	HasMem                  bool
	// Line is the line as printed, and LineNo its number from 1.
	Line   string
	LineNo int
}

// ParseBench reads the results in out with golang.org/x/perf/benchfmt;
// lines that are not results (configuration, logs, PASS, a line cut by a
// crash) are skipped. procs is the GOMAXPROCS the benchmarks ran at:
// testing appends "-procs" to names when it is not 1, and only that
// suffix is removed, so that a sub-benchmark called "size-1024" keeps its
// name. With procs 0 (not known) a name's trailing "-N" is taken for the
// suffix, as benchstat reads it.
func ParseBench(out []byte, procs int) ([]BenchResult, error) {
	lines := strings.Split(string(out), "\n")
	r := benchfmt.NewReader(bytes.NewReader(out), "output")
	var rs []BenchResult
	suffix := fmt.Sprintf("-%d", procs)
	for r.Scan() {
		rec, ok := r.Result().(*benchfmt.Result)
		if !ok {
			continue // a *benchfmt.SyntaxError or unit metadata: not a result
		}
		name := "Benchmark" + rec.Name.String() // benchfmt drops the prefix
		switch procs {
		case 0:
			base, parts := rec.Name.Parts()
			if n := len(parts); n > 0 && bytes.HasPrefix(parts[n-1], []byte("-")) {
				name = "Benchmark" + string(base) + string(bytes.Join(parts[:n-1], nil))
			}
		case 1:
		default:
			name = strings.TrimSuffix(name, suffix)
		}
		res := BenchResult{Name: name, Iters: rec.Iters}
		res.NsPerOp, res.HasTime = nsPerOp(rec)
		b, okB := rec.Value("B/op")
		a, okA := rec.Value("allocs/op")
		if okB && okA {
			res.BytesPerOp, res.AllocsPerOp, res.HasMem = b, a, true
		}
		if _, n := rec.Pos(); n >= 1 && n <= len(lines) {
			res.Line, res.LineNo = strings.TrimRight(lines[n-1], "\r"), n
		}
		rs = append(rs, res)
	}
	return rs, r.Err()
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
