package gate

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
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

var procsSuffix = regexp.MustCompile(`-\d+$`)

// ParseBench reads `go test -bench` output and returns its results, in
// order. Lines that are not results (configuration, PASS, logs) are
// skipped; a result line without ns/op is an error.
func ParseBench(r io.Reader) ([]Result, error) {
	var rs []Result
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		f := strings.Fields(text)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		n, err := strconv.Atoi(f[1])
		if err != nil {
			continue // "BenchmarkX ... some log", not a result
		}
		res := Result{Name: procsSuffix.ReplaceAllString(f[0], ""), Iterations: n, Line: text}
		for i := 2; i+1 < len(f); i += 2 {
			if f[i+1] == "ns/op" {
				if res.NsPerOp, err = strconv.ParseFloat(f[i], 64); err != nil {
					return nil, fmt.Errorf("line %d: %s: ns/op %q: %w", line, res.Name, f[i], err)
				}
				break
			}
		}
		if res.NsPerOp == 0 {
			return nil, fmt.Errorf("line %d: %s: no ns/op", line, res.Name)
		}
		rs = append(rs, res)
	}
	if err := sc.Err(); err != nil {
		return nil, err
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
