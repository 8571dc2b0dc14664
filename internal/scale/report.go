package scale

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/perf/benchmath"

	"github.com/conclab/conclab/internal/pprofkit"
)

// Report is the scaling report of one or more runs: every benchmark, one
// series per run (per machine, and the base of a -base run).
type Report struct {
	Out        string
	Runs       []*Results
	Benchmarks []*BenchReport
}

// BenchReport is one benchmark across runs.
type BenchReport struct {
	Package, Name string
	Series        []*Series
	// Compare is the benchstat comparison with the base, per n.
	Compare []Delta
	Chart   string // file name in Out
	chart   string
}

// Series is one benchmark measured in one run.
type Series struct {
	Label  string
	Run    *Results
	Bench  *Benchmark
	IsBase bool
	// Verdicts are per point, in Bench.Points' order; Verdict is the
	// benchmark's, read at the largest n the machine has cores for.
	Verdicts []Verdict
	Verdict  Verdict
	VerdictN int
	// Fit is the USL fit, or nil with FitNote saying why not.
	Fit     *USL
	FitNote string
}

// Delta is the comparison of one benchmark at one n between base and head,
// with benchstat's statistics (golang.org/x/perf/benchmath, no assumption
// of normality).
type Delta struct {
	Procs          int
	Old, New       float64 // median ns/op
	Change         string  // "+12.30%", or "~" when not significant
	P              string  // "p=0.002 n=6"
	DiffFlame      string  // link, "" until rendered
	OldErr, NewErr string
}

// NewReport builds the report of runs, to be written to out.
func NewReport(out string, runs []*Results) *Report {
	r := &Report{Out: out, Runs: runs}
	byKey := map[string]*BenchReport{}
	get := func(b *Benchmark) *BenchReport {
		key := b.Package + "\x00" + b.Name
		br := byKey[key]
		if br == nil {
			br = &BenchReport{Package: b.Package, Name: b.Name}
			byKey[key] = br
			r.Benchmarks = append(r.Benchmarks, br)
		}
		return br
	}
	for _, run := range runs {
		label := run.Machine.Label()
		if len(runs) > 1 {
			dir := run.dir
			if rel, err := filepath.Rel(out, dir); err == nil {
				dir = rel
			}
			label += " (" + filepath.ToSlash(dir) + ")"
		}
		for _, b := range run.Base {
			get(b).Series = append(get(b).Series, newSeries(label+" at base "+run.BaseRef, run, b, true))
		}
		for _, b := range run.Benchmarks {
			br := get(b)
			br.Series = append(br.Series, newSeries(label, run, b, false))
			if run.BaseRef != "" {
				if i := slices.IndexFunc(run.Base, func(o *Benchmark) bool { return o.Package == b.Package && o.Name == b.Name }); i >= 0 {
					br.Compare = compare(run.Base[i], b)
					for j := range br.Compare {
						br.Compare[j].DiffFlame = r.link(&Series{Run: run, Bench: b}, br.Compare[j].DiffFlame)
					}
				}
			}
		}
	}
	for _, br := range r.Benchmarks {
		br.Chart = "speedup-" + slug(br.Package, br.Name) + ".svg"
		br.chart = br.speedupChart()
	}
	return r
}

func newSeries(label string, run *Results, b *Benchmark, isBase bool) *Series {
	s := &Series{Label: label, Run: run, Bench: b, IsBase: isBase}
	slices.SortFunc(b.Points, func(x, y *Point) int { return cmp.Compare(x.Procs, y.Procs) })
	for _, p := range b.Points {
		s.Verdicts = append(s.Verdicts, diagnose(b, p, run.Machine.Cores))
	}
	if vp := verdictPoint(b, run.Machine.Cores); vp != nil {
		s.Verdict, s.VerdictN = diagnose(b, vp, run.Machine.Cores), vp.Procs
	} else {
		s.Verdict = Verdict{Category: Unknown, Text: "measured at n = 1 only"}
	}
	if loaded := run.LoadAverage > float64(run.Machine.Cores); loaded {
		note := fmt.Sprintf("; the machine was loaded (load average %.1f on %d cores): other programs may have kept the cores idle", run.LoadAverage, run.Machine.Cores)
		for i := range s.Verdicts {
			if c := s.Verdicts[i].Category; c == Serial || c == Idle || c == Waiting {
				s.Verdicts[i].Text += note
			}
		}
		if c := s.Verdict.Category; c == Serial || c == Idle || c == Waiting {
			s.Verdict.Text += note
		}
	}
	// The law models n processors: points past the machine's cores measure
	// time-sharing, not contention or coherency, and stay out of the fit.
	var pts []Throughput
	var left []string
	for _, p := range b.Points {
		if run.Machine.Cores > 0 && p.Procs > run.Machine.Cores {
			left = append(left, fmt.Sprint(p.Procs))
			continue
		}
		for _, ns := range p.NsPerOp {
			pts = append(pts, Throughput{N: p.Procs, PerOp: 1e9 / ns})
		}
	}
	u, err := FitUSL(pts)
	if err != nil {
		s.FitNote = "no fit: " + err.Error()
	} else {
		s.Fit = &u
	}
	if len(left) > 0 {
		s.FitNote += fmt.Sprintf(" (n = %s left out of the fit: more than the machine's %d cores)", strings.Join(left, ", "), run.Machine.Cores)
	}
	return s
}

// compare applies benchstat's test to the ns/op samples of base and head
// at each n they share.
func compare(base, head *Benchmark) []Delta {
	var ds []Delta
	for _, hp := range head.Points {
		bp := base.point(hp.Procs)
		if bp == nil {
			continue
		}
		d := Delta{Procs: hp.Procs, OldErr: bp.Err, NewErr: hp.Err}
		if bp.Err == "" && hp.Err == "" {
			thr := benchmath.DefaultThresholds
			s1 := benchmath.NewSample(slices.Clone(bp.NsPerOp), &thr)
			s2 := benchmath.NewSample(slices.Clone(hp.NsPerOp), &thr)
			a := benchmath.AssumeNothing
			d.Old, d.New = a.Summary(s1, 0.95).Center, a.Summary(s2, 0.95).Center
			c := a.Compare(s1, s2)
			d.Change, d.P = c.FormatDelta(d.Old, d.New), c.String()
		}
		d.DiffFlame = hp.DiffFlame
		ds = append(ds, d)
	}
	return ds
}

// speedupChart draws the benchmark's speed-up per series, with the ideal
// line and each series' USL fit, through internal/pprofkit's chart.
func (br *BenchReport) speedupChart() string {
	var series []pprofkit.ChartSeries
	maxN := 0.0
	for _, s := range br.Series {
		cs := pprofkit.ChartSeries{Label: s.Label}
		for i, p := range s.Bench.Points {
			v := s.Verdicts[i]
			if v.Speedup == 0 && p.Procs != 1 {
				continue
			}
			sp := v.Speedup
			if p.Procs == 1 {
				sp = 1
			}
			if p.Err != "" {
				continue
			}
			cs.Points = append(cs.Points, pprofkit.ChartPoint{N: p.Procs, Speedup: sp,
				Note: fmt.Sprintf("(%s/op, parallelism %.2f; %s)", seconds(p.NsOp()*1e-9), p.Parallelism, v.Category)})
		}
		if s.Fit != nil {
			u := *s.Fit
			cs.Fit = u.Speedup
			cs.FitLabel = fmt.Sprintf("USL fit (%s): σ=%.3f κ=%.4f", s.Label, u.Sigma, u.Kappa)
			if n, _, ok := u.Peak(); ok && n < 4*float64(maxProcs(s.Bench)) {
				maxN = max(maxN, math.Ceil(n*1.25))
			}
		}
		series = append(series, cs)
	}
	return pprofkit.SpeedupChart(br.Name+": speed-up vs GOMAXPROCS", series, maxN)
}

func maxProcs(b *Benchmark) int {
	n := 1
	for _, p := range b.Points {
		n = max(n, p.Procs)
	}
	return n
}

// Write renders report.md, report.html and the charts into r.Out, each
// through a temporary file.
func (r *Report) Write() error {
	for _, br := range r.Benchmarks {
		if err := pprofkit.WriteFile(filepath.Join(r.Out, br.Chart), func(w io.Writer) error {
			_, err := io.WriteString(w, br.chart)
			return err
		}); err != nil {
			return err
		}
	}
	if err := pprofkit.WriteFile(filepath.Join(r.Out, "report.md"), r.WriteMarkdown); err != nil {
		return err
	}
	return pprofkit.WriteFile(filepath.Join(r.Out, "report.html"), r.WriteHTML)
}

// link is the path of file in s's benchmark directory, relative to the
// report.
func (r *Report) link(s *Series, file string) string {
	if file == "" {
		return ""
	}
	p := filepath.Join(s.Run.dir, filepath.FromSlash(s.Bench.Dir), file)
	if rel, err := filepath.Rel(r.Out, p); err == nil {
		p = rel
	}
	return filepath.ToSlash(p)
}

// fitText is the fit's one-line summary.
func (s *Series) fitText() string {
	if s.Fit == nil {
		return strings.TrimSpace(s.FitNote)
	}
	u := s.Fit
	t := fmt.Sprintf("USL: σ = %.3f (contention), κ = %.4f (coherency), R² = %.3f, residuals %s of the mean speed-up, %d points at %d core counts",
		u.Sigma, u.Kappa, u.R2, pct(u.RelRMSE), u.Points, u.Cores)
	if n, x, ok := u.Peak(); ok {
		t += fmt.Sprintf("; predicted peak at n ≈ %.0f: %s ops/s (%.2f×)", n, num(math.Round(x)), x/u.Lambda)
	} else if u.Sigma > 0 {
		t += fmt.Sprintf("; no peak (κ = 0): throughput approaches %.2f× of n = 1", 1/u.Sigma)
	}
	return t + s.FitNote
}

// shares prints the overheads of p, or "too few samples".
func shares(p *Point) (gc, sched, lock string) {
	if p.Err != "" {
		return "-", "-", "-"
	}
	o := p.Overheads
	if o.Samples < MinSamples {
		return "too few samples", "too few samples", "too few samples"
	}
	return pct(o.GC), pct(o.Sched), pct(o.Lock)
}

func waitText(v *float64, site *pprofkit.WaitSite) string {
	if v == nil {
		return "-"
	}
	s := seconds(*v)
	if site != nil {
		s += fmt.Sprintf(" (%s %s)", pct(site.Share), site)
	}
	return s
}
