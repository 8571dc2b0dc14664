package pprofkit

import (
	"html/template"
	"strings"
)

// MarkdownHTML renders the only Markdown a report's legend uses, **bold**,
// *italic* and `code`, as HTML, escaping everything else. The HTML
// reports of profile and scale share it.
func MarkdownHTML(s string) template.HTML {
	s = template.HTMLEscapeString(s)
	for _, m := range []struct{ mark, open, close string }{{"**", "<b>", "</b>"}, {"*", "<i>", "</i>"}, {"`", "<code>", "</code>"}} {
		for i := 0; strings.Contains(s, m.mark); i++ {
			tag := m.open
			if i%2 == 1 {
				tag = m.close
			}
			s = strings.Replace(s, m.mark, tag, 1)
		}
	}
	return template.HTML(s)
}

// BaseCSS is the style of the page, the tables and their numbers that the
// HTML reports of profile and scale share.
const BaseCSS template.CSS = `body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; max-width: 1280px; margin: 2em auto; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; font-size: 14px; }
th, td { border: 1px solid #ddd; padding: 4px 8px; vertical-align: top; }
th { background: #f4f4f4; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }`

// MarkdownCell escapes the characters that would break a Markdown table
// cell: a "|" and a line break.
func MarkdownCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}
