package gate

import (
	"fmt"
	"io"

	"github.com/conclab/conclab/internal/gotool"
)

// Result is one line of `go test -bench` output.
type Result struct {
	// Name is the benchmark's full name without the GOMAXPROCS suffix:
	// "BenchmarkGate/counter/mutex".
	Name string
	// Iterations is b.N.
	Iterations int
	// NsPerOp is the time per op.
	NsPerOp float64
	// Line is the line as printed.
	Line string
}

// ParseBench reads `go test -bench` output with golang.org/x/perf/benchfmt
// and returns its results, in order. Lines that are not results
// (configuration, PASS, logs) are skipped; a result line without ns/op is
// an error. The runs a gate compares set no -test.cpu, so a name's
// trailing "-N" is taken for the GOMAXPROCS suffix, as benchstat reads it.
func ParseBench(r io.Reader) ([]Result, error) {
	out, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	brs, err := gotool.ParseBench(out, 0)
	if err != nil {
		return nil, err
	}
	rs := make([]Result, 0, len(brs))
	for _, br := range brs {
		if !br.HasTime {
			return nil, fmt.Errorf("line %d: %s: no ns/op", br.LineNo, br.Name)
		}
		rs = append(rs, Result{Name: br.Name, Iterations: br.Iters, NsPerOp: br.NsPerOp, Line: br.Line})
	}
	return rs, nil
}

// Pair matches the results of two runs by benchmark name, the i-th result
// of a benchmark in old with its i-th in new, in the order old first shows
// them. It returns the series and the names found on one side only.
func Pair(old, new []Result) (series []*Series, oldOnly, newOnly []string) {
	byName := map[string]*Series{}
	for _, r := range old {
		s := byName[r.Name]
		if s == nil {
			s = &Series{Name: r.Name}
			byName[r.Name] = s
			series = append(series, s)
		}
		s.Old = append(s.Old, r.NsPerOp)
	}
	seenNew := map[string]bool{}
	for _, r := range new {
		s := byName[r.Name]
		if s == nil {
			if !seenNew[r.Name] {
				newOnly = append(newOnly, r.Name)
				seenNew[r.Name] = true
			}
			continue
		}
		s.New = append(s.New, r.NsPerOp)
	}
	kept := series[:0]
	for _, s := range series {
		if len(s.New) == 0 {
			oldOnly = append(oldOnly, s.Name)
			continue
		}
		n := s.Pairs()
		s.Old, s.New = s.Old[:n], s.New[:n]
		kept = append(kept, s)
	}
	return kept, oldOnly, newOnly
}
