package hunt

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
)

// Merge joins the -json outputs of shards (one finding object per line and
// a summary object) into one summary. A file without a summary is an error:
// its shard did not finish.
func Merge(paths ...string) (*Summary, error) {
	all := &Summary{}
	for _, p := range paths {
		s, err := readJSON(p)
		if err != nil {
			return nil, err
		}
		all.Tests = append(all.Tests, s.Tests...)
		all.Findings += s.Findings
		all.Runs += s.Runs
		all.NotRun += s.NotRun
		all.NotBuilt = append(all.NotBuilt, s.NotBuilt...)
		all.Seconds = max(all.Seconds, s.Seconds)
		all.Interrupted = all.Interrupted || s.Interrupted
	}
	slices.SortStableFunc(all.Tests, func(a, b TestResult) int {
		if a.Package != b.Package {
			return strings.Compare(a.Package, b.Package)
		}
		return strings.Compare(a.Test, b.Test)
	})
	return all, nil
}

func readJSON(path string) (*Summary, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var sum *Summary
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 64<<20)
	for n := 1; sc.Scan(); n++ {
		var probe struct{ Type string }
		if len(sc.Bytes()) == 0 {
			continue
		}
		if err := json.Unmarshal(sc.Bytes(), &probe); err != nil {
			return nil, fmt.Errorf("%s:%d: not hunt -json output: %v", path, n, err)
		}
		if probe.Type == "summary" {
			sum = new(Summary)
			if err := json.Unmarshal(sc.Bytes(), sum); err != nil {
				return nil, fmt.Errorf("%s:%d: %v", path, n, err)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if sum == nil {
		return nil, fmt.Errorf("%s: no summary line (did that shard finish?)", path)
	}
	return sum, nil
}
