package scale

import (
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/conclab/conclab/internal/pprofkit"
)

// view is the report with every figure formatted, for both renderers.
type view struct {
	Generated string
	Machines  []machineView
	Summary   []summaryRow
	Benches   []benchView
	Legend    []string
	Loaded    bool
}

type machineView struct {
	Label, CPU, Go, Platform, Date, Args, Load, Base string
	Cores                                            int
}

type summaryRow struct {
	Bench, Anchor, Machine, N, Speedup, Efficiency, Category, Verdict, Fit string
}

type benchView struct {
	Name, Package, Anchor, Chart string
	ChartSVG                     template.HTML
	Series                       []seriesView
	Compare                      []deltaView
}

type seriesView struct {
	Label, Verdict, Category, Fit string
	Rows                          []rowView
	Pprof                         []string
}

type rowView struct {
	N, NsOp, Speedup, Efficiency, Parallelism, GC, Sched, Lock, Mutex, Block, Mem, Category, Verdict, Flame, Profile string
	// Account is the point's account in one line, "" at n = 1.
	Account string
}

type deltaView struct {
	N, Old, New, Change, P, DiffFlame string
}

var mutexSampled, blockSampled = SampledEvents()

var legend = []string{
	"**ns/op**: the mean over -count of what the benchmark printed, in its own child process at GOMAXPROCS n. **speed-up**: ns/op at n = 1 ÷ ns/op at n, on the same machine; **efficiency**: speed-up ÷ n.",
	"**parallelism**: effective parallelism, the CPU seconds sampled in the CPU profile ÷ its wall seconds (internal/pprofkit.AnalyzeCPU, as `conclab profile` reads it): the average number of busy cores over the child's whole run.",
	"**GC**, **sched**, **lock**: shares of the sampled CPU in the garbage collector (mark workers, assists, sweeping), in the scheduler (finding, stealing, starting, parking and waking goroutines, spinning; a WaitGroup's or Cond's semaphore, and runtime stacks with no user frame) and in taking locks (sync's slow paths, their semaphores, runtime.lock2 outside the scheduler). Each sample counts once, in that order of precedence; below " + fmt.Sprint(MinSamples) + " samples the report says too few samples.",
	"**mutex wait**, **block wait**: seconds waited per op, summed over goroutines, from the mutex profile (" + mutexSampled + " sampled, scaled back) and the block profile (" + blockSampled + " sampled), ÷ the ops run while profiled (the profile's wall time ÷ ns/op); in brackets the top call site — the first frame outside runtime and sync, for the mutex profile the code that held the lock — and its share. Waits of the testing package's driver are left out.",
	"**USL**: the Universal Scalability Law X(n) = λn / (1 + σ(n−1) + κn(n−1)) fitted by least squares to the speed-ups (λ = throughput at n = 1); σ is contention (serialised share), κ coherency (cost per pair of cores, which makes a peak at √((1−σ)/κ)). No curve is drawn with fewer than three core counts or residuals above 15 % of the mean speed-up.",
}

// verdictLegend explains the account and the verdict from the constants
// and the table of parts the code uses.
func verdictLegend() []string {
	l := []string{
		fmt.Sprintf("**account**: at each n, what separates the throughput from m × that of n = 1 (m = n, or the machine's cores if fewer), in points of that ideal; it adds up to the loss, 1 − efficiency. Its two halves: **idle** cores, 1 − parallelism ÷ (m × parallelism at n = 1), and **CPU/op** that grew over n = 1. The parts: %s.", partsLegend()),
		fmt.Sprintf("**verdict**: *scales* when the efficiency against m × n = 1 is at least %s; else the category whose parts take the largest share of the loss, printed with that share; *inconclusive* when the next category is within %s of the loss, or with fewer than %d CPU samples at n = 1 or at n (below %d the CPU per op that grew is not split: *cpu: unsplit*). The benchmark's verdict is read at the largest n the machine has cores for. \"No goroutines of its own\" is said only when at least %s of the work's CPU is on the benchmark's own goroutine.",
			pct(ScalesEfficiency), pct(Margin), MinIdleSamples, MinSamples, pct(OneGoroutine)),
	}
	return l
}

// partsLegend lists every part with the category it names.
func partsLegend() string {
	var s []string
	for _, p := range parts {
		s = append(s, fmt.Sprintf("*%s* (→ %s): %s", p.part, p.cat, p.doc))
	}
	return strings.Join(s, "; ")
}

func (r *Report) view() view {
	v := view{Generated: time.Now().UTC().Format("2006-01-02 15:04 MST"), Legend: slices.Insert(slices.Clone(legend), len(legend)-1, verdictLegend()...)}
	for _, run := range r.Runs {
		mv := machineView{
			Label: run.Machine.Label(), CPU: run.Machine.CPU, Cores: run.Machine.Cores, Go: run.Machine.Go,
			Platform: run.Machine.OS + "/" + run.Machine.Arch, Date: run.Date.Format("2006-01-02 15:04 MST"),
			Args: strings.Join(run.Args, " "), Load: fmt.Sprintf("%.1f", run.LoadAverage),
		}
		if run.BaseRef != "" {
			mv.Base = fmt.Sprintf("%s (%.12s)", run.BaseRef, run.BaseCommit)
		}
		if run.LoadAverage > float64(run.Machine.Cores) {
			v.Loaded = true
		}
		v.Machines = append(v.Machines, mv)
	}
	for _, br := range r.Benchmarks {
		anchor := slug(br.Package, br.Name)
		bv := benchView{Name: br.Name, Package: br.Package, Anchor: anchor, Chart: br.Chart,
			ChartSVG: template.HTML(br.chart)} // generated by pprofkit.SpeedupChart, every text escaped
		for _, s := range br.Series {
			sv := seriesView{Label: s.Label, Verdict: s.Verdict.Text, Category: string(s.Verdict.Category), Fit: s.fitText()}
			sr := summaryRow{Bench: br.Name, Anchor: anchor, Machine: s.Label, N: "-", Speedup: "-", Efficiency: "-",
				Category: string(s.Verdict.Category), Verdict: s.Verdict.Text, Fit: "-"}
			if s.VerdictN > 0 {
				sr.N = fmt.Sprint(s.VerdictN)
			}
			if s.Verdict.Speedup > 0 {
				sr.Speedup, sr.Efficiency = fmt.Sprintf("%.2f×", s.Verdict.Speedup), pct(s.Verdict.Efficiency)
			}
			if s.Fit != nil {
				sr.Fit = fmt.Sprintf("σ=%.3f κ=%.4f", s.Fit.Sigma, s.Fit.Kappa)
			}
			v.Summary = append(v.Summary, sr)
			for i, p := range s.Bench.Points {
				vd := s.Verdicts[i]
				gc, sched, lock := shares(p)
				row := rowView{N: fmt.Sprint(p.Procs), NsOp: "-", Speedup: "-", Efficiency: "-", Parallelism: "-",
					GC: gc, Sched: sched, Lock: lock, Mutex: waitText(p.MutexPerOp, p.MutexSite), Block: waitText(p.BlockPerOp, p.BlockSite),
					Mem: "-", Category: string(vd.Category), Verdict: vd.Text, Flame: r.link(s, p.Flame)}
				if p.Err == "" {
					row.NsOp = num(p.NsOp())
					row.Parallelism = fmt.Sprintf("%.2f", p.Parallelism)
					row.Mem = fmt.Sprintf("%s, %s allocs", bytesSize(p.BytesPerOp), num(p.AllocsPerOp))
					row.Profile = r.link(s, p.CPUFile)
					sv.Pprof = append(sv.Pprof, "go tool pprof -http=:0 "+row.Profile)
				}
				if vd.Speedup > 0 {
					row.Speedup, row.Efficiency = fmt.Sprintf("%.2f×", vd.Speedup), pct(vd.Efficiency)
				}
				if vd.Account != nil {
					row.Account = vd.Account.String()
				}
				sv.Rows = append(sv.Rows, row)
			}
			bv.Series = append(bv.Series, sv)
		}
		for _, d := range br.Compare {
			dv := deltaView{N: fmt.Sprint(d.Procs), Old: num(d.Old), New: num(d.New), Change: d.Change, P: d.P, DiffFlame: d.DiffFlame}
			if d.OldErr != "" || d.NewErr != "" {
				dv.Old, dv.New, dv.Change, dv.P = orDash(d.OldErr, dv.Old), orDash(d.NewErr, dv.New), "failed", "-"
			}
			bv.Compare = append(bv.Compare, dv)
		}
		v.Benches = append(v.Benches, bv)
	}
	return v
}

func orDash(err, v string) string {
	if err != "" {
		return "failed: " + err
	}
	return v
}

// WriteMarkdown writes the report as Markdown, links relative to r.Out.
func (r *Report) WriteMarkdown(w io.Writer) error {
	v := r.view()
	var b strings.Builder
	fmt.Fprintf(&b, "# conclab scale: how the benchmarks use the cores\n\nGenerated %s by `conclab scale`.\n\n", v.Generated)
	b.WriteString("## Machines\n\n| run | CPU | cores | Go | platform | recorded | load average | base | command |\n|---|---|---:|---|---|---|---:|---|---|\n")
	for _, m := range v.Machines {
		fmt.Fprintf(&b, "| %s | %s | %d | %s | %s | %s | %s | %s | `%s` |\n", pprofkit.MarkdownCell(m.Label), pprofkit.MarkdownCell(m.CPU), m.Cores, m.Go, m.Platform, m.Date, m.Load, pprofkit.MarkdownCell(m.Base), pprofkit.MarkdownCell(m.Args))
	}
	if v.Loaded {
		b.WriteString("\n**Loaded machine**: the load average was above the number of cores, so other programs competed for them; speed-ups and parallelism are lower than the machine can give.\n")
	}
	b.WriteString("\n## Summary\n\n| benchmark | run | at n | speed-up | efficiency | verdict | USL |\n|---|---|---:|---:|---:|---|---|\n")
	for _, s := range v.Summary {
		fmt.Fprintf(&b, "| [%s](#%s) | %s | %s | %s | %s | **%s**: %s | %s |\n", pprofkit.MarkdownCell(s.Bench), s.Anchor, pprofkit.MarkdownCell(s.Machine), s.N, s.Speedup, s.Efficiency, s.Category, pprofkit.MarkdownCell(s.Verdict), s.Fit)
	}
	b.WriteString("\n## How to read the tables\n\n")
	for _, l := range v.Legend {
		fmt.Fprintf(&b, "- %s\n", l)
	}
	for _, bv := range v.Benches {
		fmt.Fprintf(&b, "\n<a id=\"%s\"></a>\n## %s\n\n`%s`\n\n![%s: speed-up vs GOMAXPROCS](%s)\n", bv.Anchor, pprofkit.MarkdownCell(bv.Name), bv.Package, pprofkit.MarkdownCell(bv.Name), bv.Chart)
		for _, s := range bv.Series {
			fmt.Fprintf(&b, "\n### %s\n\n**%s**: %s\n\n%s\n\n", pprofkit.MarkdownCell(s.Label), s.Category, pprofkit.MarkdownCell(s.Verdict), pprofkit.MarkdownCell(s.Fit))
			b.WriteString("| n | ns/op | speed-up | efficiency | parallelism | GC | sched | lock | mutex wait/op | block wait/op | memory/op | verdict | flame graph |\n|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|---|---|\n")
			for _, r := range s.Rows {
				flame := "-"
				if r.Flame != "" {
					flame = fmt.Sprintf("[cpu-%s.svg](%s) · [profile](%s)", r.N, r.Flame, r.Profile)
				}
				fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | **%s**: %s | %s |\n",
					r.N, r.NsOp, r.Speedup, r.Efficiency, r.Parallelism, r.GC, r.Sched, r.Lock, pprofkit.MarkdownCell(r.Mutex), pprofkit.MarkdownCell(r.Block), r.Mem, r.Category, pprofkit.MarkdownCell(r.Verdict), flame)
			}
			b.WriteString("\nWhere the throughput went (points of m × the throughput at n = 1):\n\n| n | account |\n|---:|---|\n")
			for _, r := range s.Rows {
				if r.Account != "" {
					fmt.Fprintf(&b, "| %s | %s |\n", r.N, pprofkit.MarkdownCell(r.Account))
				}
			}
			if len(s.Pprof) > 0 {
				b.WriteString("\nInteractive:\n\n```sh\n" + strings.Join(s.Pprof, "\n") + "\n```\n")
			}
		}
		if len(bv.Compare) > 0 {
			b.WriteString("\n### Against the base (benchstat: median ns/op, Mann–Whitney U test)\n\n| n | base | head | change | test | differential flame graph |\n|---:|---:|---:|---:|---|---|\n")
			for _, d := range bv.Compare {
				diff := "-"
				if d.DiffFlame != "" {
					diff = fmt.Sprintf("[diff-%s.svg](%s)", d.N, d.DiffFlame)
				}
				fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", d.N, pprofkit.MarkdownCell(d.Old), pprofkit.MarkdownCell(d.New), d.Change, d.P, diff)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

var htmlReport = template.Must(template.New("scale").Funcs(template.FuncMap{
	"markdown": pprofkit.MarkdownHTML,
	"baseCSS":  func() template.CSS { return pprofkit.BaseCSS },
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>conclab scale: how the benchmarks use the cores</title>
<style>
{{baseCSS}}
.scales { color: #076; font-weight: bold; }
.gc, .contention, .channel, .sync, .scheduler, .serial, .waiting, .memory, .idle, .failed { color: #b30; font-weight: bold; }
code, pre { background: #f6f6f6; }
pre { padding: 0.5em; overflow-x: auto; }
.bench { border-top: 2px solid #eee; margin-top: 2em; }
.loaded { background: #fff4e0; padding: 0.5em; }
</style>
</head>
<body>
<h1>conclab scale: how the benchmarks use the cores</h1>
<p>Generated {{.Generated}} by <code>conclab scale</code>.</p>
<h2>Machines</h2>
<table>
<tr><th>run</th><th>CPU</th><th>cores</th><th>Go</th><th>platform</th><th>recorded</th><th>load average</th><th>base</th><th>command</th></tr>
{{range .Machines}}<tr><td>{{.Label}}</td><td>{{.CPU}}</td><td class="num">{{.Cores}}</td><td>{{.Go}}</td><td>{{.Platform}}</td><td>{{.Date}}</td><td class="num">{{.Load}}</td><td>{{.Base}}</td><td><code>{{.Args}}</code></td></tr>
{{end}}</table>
{{if .Loaded}}<p class="loaded"><b>Loaded machine</b>: the load average was above the number of cores, so other programs competed for them; speed-ups and parallelism are lower than the machine can give.</p>{{end}}
<h2>Summary</h2>
<table>
<tr><th>benchmark</th><th>run</th><th>at n</th><th>speed-up</th><th>efficiency</th><th>verdict</th><th>USL</th></tr>
{{range .Summary}}<tr><td><a href="#{{.Anchor}}">{{.Bench}}</a></td><td>{{.Machine}}</td><td class="num">{{.N}}</td><td class="num">{{.Speedup}}</td><td class="num">{{.Efficiency}}</td><td><span class="{{.Category}}">{{.Category}}</span>: {{.Verdict}}</td><td>{{.Fit}}</td></tr>
{{end}}</table>
<h2>How to read the tables</h2>
<ul>{{range .Legend}}<li>{{markdown .}}</li>
{{end}}</ul>
{{range .Benches}}
<div class="bench" id="{{.Anchor}}">
<h2>{{.Name}}</h2>
<p><code>{{.Package}}</code></p>
{{.ChartSVG}}
{{range .Series}}
<h3>{{.Label}}</h3>
<p><span class="{{.Category}}">{{.Category}}</span>: {{.Verdict}}</p>
<p>{{.Fit}}</p>
<table>
<tr><th>n</th><th>ns/op</th><th>speed-up</th><th>efficiency</th><th>parallelism</th><th>GC</th><th>sched</th><th>lock</th><th>mutex wait/op</th><th>block wait/op</th><th>memory/op</th><th>verdict</th><th>flame graph</th></tr>
{{range .Rows}}<tr><td class="num">{{.N}}</td><td class="num">{{.NsOp}}</td><td class="num">{{.Speedup}}</td><td class="num">{{.Efficiency}}</td><td class="num">{{.Parallelism}}</td><td class="num">{{.GC}}</td><td class="num">{{.Sched}}</td><td class="num">{{.Lock}}</td><td>{{.Mutex}}</td><td>{{.Block}}</td><td>{{.Mem}}</td><td><span class="{{.Category}}">{{.Category}}</span>: {{.Verdict}}</td><td>{{if .Flame}}<a href="{{.Flame}}">flame graph</a> · <a href="{{.Profile}}">profile</a>{{else}}-{{end}}</td></tr>
{{end}}</table>
<p>Where the throughput went (points of m × the throughput at n = 1):</p>
<table><tr><th>n</th><th>account</th></tr>
{{range .Rows}}{{if .Account}}<tr><td class="num">{{.N}}</td><td>{{.Account}}</td></tr>
{{end}}{{end}}</table>
{{if .Pprof}}<pre>{{range .Pprof}}{{.}}
{{end}}</pre>{{end}}
{{end}}
{{if .Compare}}<h3>Against the base (benchstat: median ns/op, Mann–Whitney U test)</h3>
<table><tr><th>n</th><th>base</th><th>head</th><th>change</th><th>test</th><th>differential flame graph</th></tr>
{{range .Compare}}<tr><td class="num">{{.N}}</td><td class="num">{{.Old}}</td><td class="num">{{.New}}</td><td class="num">{{.Change}}</td><td>{{.P}}</td><td>{{if .DiffFlame}}<a href="{{.DiffFlame}}">diff-{{.N}}.svg</a>{{else}}-{{end}}</td></tr>
{{end}}</table>{{end}}
</div>
{{end}}
</body>
</html>
`))

// WriteHTML writes the report as one HTML page with the charts inline.
func (r *Report) WriteHTML(w io.Writer) error {
	return htmlReport.Execute(w, r.view())
}

// WriteSummary prints one line per benchmark and run: the verdict at the
// largest n the machine has cores for, and the USL fit.
func (r *Report) WriteSummary(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	multi := len(r.Runs) > 1 || slices.ContainsFunc(r.Runs, func(run *Results) bool { return run.BaseRef != "" })
	head := "BENCHMARK\tN\tSPEED-UP\tEFFICIENCY\tUSL\tVERDICT"
	if multi {
		head = "RUN\t" + head
	}
	fmt.Fprintln(tw, head)
	for _, s := range r.view().Summary {
		if multi {
			fmt.Fprintf(tw, "%s\t", s.Machine)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s: %s\n", s.Bench, s.N, s.Speedup, s.Efficiency, s.Fit, s.Category, s.Verdict)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nWHERE THE THROUGHPUT WENT (points of m × the throughput at n = 1; m = n up to the cores)")
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, bv := range r.view().Benches {
		for _, sv := range bv.Series {
			for _, row := range sv.Rows {
				if row.Account == "" {
					continue
				}
				if multi {
					fmt.Fprintf(tw, "%s\t", sv.Label)
				}
				fmt.Fprintf(tw, "%s\tn = %s\t%s\n", bv.Name, row.N, row.Account)
			}
		}
	}
	return tw.Flush()
}
