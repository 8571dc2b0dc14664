package hunt

import (
	"fmt"
	"html/template"
	"io"
	"path/filepath"
	"strings"

	"github.com/conclab/conclab/internal/pprofkit"
)

// WriteText prints one line per test, then each finding with its witness
// stacks and replay command.
func (s *Summary) WriteText(w io.Writer) error {
	pkgs := map[string]bool{}
	width := 0
	for _, t := range s.Tests {
		pkgs[t.Package] = true
		width = max(width, len(t.Package)+1+len(t.Test))
	}
	var b strings.Builder
	for _, t := range s.Tests {
		name := t.Package + " " + t.Test
		for _, f := range t.All() {
			fmt.Fprintf(&b, "FOUND %-*s  %s in run %d (seed %d, GOMAXPROCS %d)\n", width, name, f.Label(), f.Run, f.Seed, f.GOMAXPROCS)
		}
		if t.Finding != nil {
			continue
		}
		if t.NotRun {
			fmt.Fprintf(&b, "--    %-*s  not run (the hunt stopped before its first run ended)\n", width, name)
			continue
		}
		if t.Slow {
			fmt.Fprintf(&b, "slow  %-*s  clean in %d run%s, then a run outlived the hard timeout with goroutines still running (a livelock, or a test slower than that: try a larger -stall)\n", width, name, t.Runs, plural(t.Runs))
			continue
		}
		fmt.Fprintf(&b, "ok    %-*s  clean in %d run%s\n", width, name, t.Runs, plural(t.Runs))
	}
	for _, p := range s.NotBuilt {
		fmt.Fprintf(&b, "--    %-*s  not run: -time ran out before its test binary was built\n", width, p)
	}
	for _, t := range s.Tests {
		for _, f := range t.All() {
			b.WriteString("\n")
			writeFinding(&b, f)
		}
	}
	status := "clean"
	if s.Findings > 0 {
		status = fmt.Sprintf("%d finding%s", s.Findings, plural(s.Findings))
	}
	if s.NotRun > 0 {
		status += fmt.Sprintf(", %d test%s not run", s.NotRun, plural(s.NotRun))
	}
	if n := len(s.NotBuilt); n > 0 {
		status += fmt.Sprintf(", %d package%s not built (none of its tests run)", n, plural(n))
	}
	if n := s.slow(); n > 0 {
		status += fmt.Sprintf(", %d test%s stopped as slow", n, plural(n))
	}
	if s.Interrupted {
		status += " (stopped early: not every run was done)"
	}
	fmt.Fprintf(&b, "\nhunt: %d test%s in %d package%s, %d run%s, %.1fs: %s\n",
		len(s.Tests), plural(len(s.Tests)), len(pkgs), plural(len(pkgs)), s.Runs, plural(s.Runs), s.Seconds, status)
	_, err := io.WriteString(w, b.String())
	return err
}

func writeFinding(b *strings.Builder, f *Finding) {
	fmt.Fprintf(b, "--- %s: %s %s (run %d, seed %d, GOMAXPROCS %d, yield %g, %.1fs)\n", f.Label(), f.Package, f.Test, f.Run, f.Seed, f.GOMAXPROCS, f.Yield, f.Seconds)
	fmt.Fprintf(b, "%s\n", f.Message)
	if f.Certainty != "" {
		fmt.Fprintf(b, "certainty: %s: %s\n", f.Certainty, f.Why)
	}
	for _, st := range f.Stacks {
		for line := range strings.SplitSeq(st, "\n") {
			fmt.Fprintf(b, "    %s\n", line)
		}
	}
	fmt.Fprintf(b, "replay: %s\n", f.Replay)
	if note := f.ReplayNote(); note != "" {
		fmt.Fprintf(b, "        (%s)\n", note)
	}
}

// Label is the finding's kind with its certainty, as the reports head it:
// "leak (releasable)".
func (f *Finding) Label() string { return string(f.Kind) + f.certaintySuffix() }

func (f *Finding) certaintySuffix() string {
	if f.Certainty == "" {
		return ""
	}
	return " (" + string(f.Certainty) + ")"
}

// slow counts the tests stopped as slow without a finding.
func (s *Summary) slow() int {
	n := 0
	for _, t := range s.Tests {
		if t.Slow && t.Finding == nil {
			n++
		}
	}
	return n
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// WriteReport writes the hunt's section of a report to path, Markdown or
// HTML by its extension (.html, .htm), through a temporary file renamed into
// place.
func (s *Summary) WriteReport(path string) error {
	if ext := strings.ToLower(filepath.Ext(path)); ext == ".html" || ext == ".htm" {
		return pprofkit.WriteFile(path, s.WriteHTML)
	}
	return pprofkit.WriteFile(path, s.WriteMarkdown)
}

// WriteMarkdown writes the hunt as a Markdown section: the table of tests,
// then each finding.
func (s *Summary) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "## Hunt\n\n%d test%s, %d run%s, %.1f s, %d finding%s", len(s.Tests), plural(len(s.Tests)), s.Runs, plural(s.Runs), s.Seconds, s.Findings, plural(s.Findings))
	if s.NotRun > 0 {
		fmt.Fprintf(&b, ", %d test%s not run", s.NotRun, plural(s.NotRun))
	}
	if n := len(s.NotBuilt); n > 0 {
		fmt.Fprintf(&b, ", %d package%s not built before -time ran out (%s)", n, plural(n), strings.Join(s.NotBuilt, ", "))
	}
	if s.Interrupted {
		b.WriteString(" (stopped early)")
	}
	b.WriteString(".\n\n| package | test | result | runs | seed | GOMAXPROCS |\n|---|---|---|---:|---:|---:|\n")
	for _, t := range s.Tests {
		for _, f := range t.All() {
			fmt.Fprintf(&b, "| %s | %s | **%s**%s | %d | %d | %d |\n", t.Package, t.Test, f.Kind, f.certaintySuffix(), f.Run, f.Seed, f.GOMAXPROCS)
		}
		switch {
		case t.Finding != nil:
		case t.NotRun:
			fmt.Fprintf(&b, "| %s | %s | not run | 0 | | |\n", t.Package, t.Test)
		case t.Slow:
			fmt.Fprintf(&b, "| %s | %s | slow (clean, then a run outlived the hard timeout) | %d | | |\n", t.Package, t.Test, t.Runs)
		default:
			fmt.Fprintf(&b, "| %s | %s | clean | %d | | |\n", t.Package, t.Test, t.Runs)
		}
	}
	for _, t := range s.Tests {
		for _, f := range t.All() {
			fmt.Fprintf(&b, "\n### %s: %s\n\n%s\n\n", f.Label(), f.Test, f.Message)
			if f.Certainty != "" {
				fmt.Fprintf(&b, "Certainty: **%s**: %s.\n\n", f.Certainty, f.Why)
			}
			if len(f.Stacks) > 0 {
				fmt.Fprintf(&b, "```\n%s\n```\n\n", strings.Join(f.Stacks, "\n\n"))
			}
			fmt.Fprintf(&b, "Replay: `%s`\n", f.Replay)
			if note := f.ReplayNote(); note != "" {
				fmt.Fprintf(&b, "(%s)\n", note)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

var htmlReport = template.Must(template.New("hunt").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>conclab hunt</title>
<style>body{font-family:sans-serif;max-width:72em;margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em}pre{background:#f6f6f6;padding:.6em;overflow-x:auto}.found{color:#a00;font-weight:bold}.certainty{font-weight:normal;color:#555}</style>
</head><body>
<h2>Hunt</h2>
<p>{{len .Tests}} tests, {{.Runs}} runs, {{printf "%.1f" .Seconds}} s, {{.Findings}} findings{{if .NotRun}}, {{.NotRun}} tests not run{{end}}{{with .NotBuilt}}, {{len .}} packages not built before -time ran out{{end}}{{if .Interrupted}} (stopped early){{end}}.</p>
<table><tr><th>package</th><th>test</th><th>result</th><th>runs</th><th>seed</th><th>GOMAXPROCS</th></tr>
{{range .Tests}}{{$t := .}}{{range .All}}<tr><td>{{$t.Package}}</td><td>{{$t.Test}}</td><td class="found">{{.Kind}}{{with .Certainty}} <span class="certainty">({{.}})</span>{{end}}</td><td>{{.Run}}</td><td>{{.Seed}}</td><td>{{.GOMAXPROCS}}</td></tr>
{{else}}<tr><td>{{.Package}}</td><td>{{.Test}}</td><td>{{if .NotRun}}not run{{else if .Slow}}slow (clean, then a run outlived the hard timeout){{else}}clean{{end}}</td><td>{{.Runs}}</td><td></td><td></td></tr>
{{end}}{{end}}</table>
{{range .Tests}}{{range .All}}<h3>{{.Label}}: {{.Test}}</h3><p>{{.Message}}</p>{{if .Certainty}}<p>Certainty: <strong>{{.Certainty}}</strong>: {{.Why}}</p>{{end}}{{range .Stacks}}<pre>{{.}}</pre>{{end}}<p>Replay: <code>{{.Replay}}</code>{{with .ReplayNote}} ({{.}}){{end}}</p>
{{end}}{{end}}</body></html>
`))

// WriteHTML writes the hunt as a standalone HTML page.
func (s *Summary) WriteHTML(w io.Writer) error { return htmlReport.Execute(w, s) }
