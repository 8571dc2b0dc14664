package main

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/conclab/conclab/internal/pprofkit"
)

// render returns the table of verdicts in Markdown.
func render(vs []verdict, wall time.Duration) string {
	var b strings.Builder
	counts := map[string]int{}
	fmt.Fprintln(&b, "| id | file | mutation | verdict | caught by | run | s |")
	fmt.Fprintln(&b, "|---|---|---|---|---|---|---|")
	for _, v := range vs {
		counts[strings.TrimSuffix(v.status, " (not run)")]++
		secs := ""
		if v.how != "" {
			secs = fmt.Sprintf("%.0f", v.elapsed.Seconds())
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", v.m.id, v.m.file, pprofkit.MarkdownCell(v.m.desc), v.status, pprofkit.MarkdownCell(v.by), v.how, secs)
	}
	notCounted := counts["perf-only"] + counts["equivalent"] + counts["no-compile"] + counts["not-applied"] + counts["unjudged"]
	fmt.Fprintf(&b, "\n%d of %d correctness mutations caught by a failing test, %d only by a timeout (hang), %d survived; %d equivalent and %d perf-only (not counted); %d did not compile; %d not applied; %d unjudged. Wall time %s.\n",
		counts["caught"], len(vs)-notCounted, counts["hang"], counts["SURVIVED"], counts["equivalent"], counts["perf-only"], counts["no-compile"], counts["not-applied"], counts["unjudged"], wall.Round(time.Second))
	return b.String()
}

// readEquivalents reads the mutations docs/mutation.md marks equivalent:
// the lines "- `ID`: reason" of its section "## Equivalent mutations".
func readEquivalents(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	eq := map[string]string{}
	in := false
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "## ") {
			in = strings.TrimSpace(line) == "## Equivalent mutations"
			continue
		}
		if m := equivRE.FindStringSubmatch(line); in && m != nil {
			eq[m[1]] = m[2]
		}
	}
	return eq, nil
}

var equivRE = regexp.MustCompile("^- `([^`]+)`: (.+)$")
