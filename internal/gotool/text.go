package gotool

import (
	"regexp"
	"strings"
)

// FirstLine is the first non-empty line of a command's output that is not
// one of the go command's "# pkg" headers, or err's text where there is
// none ("failed" without err).
func FirstLine(out string, err error) string {
	for line := range strings.SplitSeq(out, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			return line
		}
	}
	if err != nil {
		return err.Error()
	}
	return "failed"
}

// LastLine is the most telling line of a test binary that failed: its
// first "--- FAIL" line with the line under it, or its first panic line,
// else its last non-empty line that is not "FAIL" or "exit status"; "no
// output" if there is none.
func LastLine(out string) string {
	var last, fail string
	for line := range strings.Lines(out) {
		line = strings.TrimSpace(line)
		switch {
		case fail != "" && line != "":
			return fail + " " + line
		case strings.HasPrefix(line, "--- FAIL"):
			fail = line
			continue
		case strings.HasPrefix(line, "panic:"):
			return line
		}
		if line != "" && line != "FAIL" && !strings.HasPrefix(line, "exit status") {
			last = line
		}
	}
	if fail != "" {
		return fail
	}
	if last == "" {
		return "no output"
	}
	return last
}

// BenchPattern is the -test.bench pattern that selects the benchmark
// called name ("BenchmarkGate/counter/mutex") and none of its siblings:
// each level of the name, quoted and anchored ("^BenchmarkGate$/^counter$/^mutex$"),
// since testing matches a sub-benchmark level by level.
func BenchPattern(name string) string {
	parts := strings.Split(name, "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	return strings.Join(parts, "/")
}
