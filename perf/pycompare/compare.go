package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/conclab/conclab/scenarios"
)

// sizes is the work of each comparison, the same for Python and Go.
type sizes struct {
	squares  int           // iterations of the CPU loop, split between the workers
	waits    int           // concurrent I/O waits
	latency  time.Duration // the length of each
	mapItems int           // items of Pool.map
	tasks    int           // tasks of ThreadPoolExecutor.map
	threads  int           // the Lock example's threads ...
	incs     int           // ... and increments per thread
}

var (
	fullSizes  = sizes{squares: 40_000_000, waits: 1000, latency: 200 * time.Millisecond, mapItems: 1_000_000, tasks: 50_000, threads: 5, incs: 10_000}
	quickSizes = sizes{squares: 2_000_000, waits: 100, latency: 20 * time.Millisecond, mapItems: 100_000, tasks: 5_000, threads: 5, incs: 10_000}
)

type options struct {
	python, scripts string
	reps, cores     int
	sizes           sizes
}

// A model is one way of running a workload: Python's or Go's.
type model string

const (
	pyThreads   model = "Python threads"
	pyProcesses model = "Python processes"
	pyAsyncio   model = "Python asyncio"
	goGoroutine model = "Go goroutines"
	goProcesses model = "Go processes"
)

func (m model) isGo() bool { return strings.HasPrefix(string(m), "Go ") }

// A row is one measured run: a model running a workload with some workers.
type row struct {
	workload string
	model    model
	workers  int
	wall     time.Duration
	items    int
	speedup  float64 // 0 when there is none to show
	ratio    float64 // Go wall / best Python wall on the same workload and workers; 0 for Python rows
	note     string  // why the row has no figures
}

type table struct {
	rows   []row
	claims []claim
	o      options
}

// A claim of the article, and whether the table bears it out.
type claim struct {
	text string
	ok   bool
	why  string
}

// measure is one run of a program: its wall time and the items it did.
type measure struct {
	wall  time.Duration
	items int
}

// runner measures one run of a model on a workload with some workers.
type runner func(ctx context.Context, workers int) (measure, error)

func compare(ctx context.Context, o options, progress io.Writer) (*table, error) {
	s := o.sizes
	t := &table{o: o}
	py := func(script string, args ...func(workers int) string) runner {
		return func(ctx context.Context, workers int) (measure, error) {
			argv := []string{filepath.Join(o.scripts, script)}
			for _, a := range args {
				argv = append(argv, a(workers))
			}
			return runPython(ctx, o.python, argv)
		}
	}
	workers := func(w int) string { return strconv.Itoa(w) }
	fixed := func(v any) func(int) string { return func(int) string { return fmt.Sprint(v) } }
	secs := strconv.FormatFloat(s.latency.Seconds(), 'f', -1, 64)

	cpu := fmt.Sprintf("CPU: %s squares", count(s.squares))
	io := fmt.Sprintf("I/O: %s waits of %v", count(s.waits), s.latency)
	pmap := fmt.Sprintf("Pool.map: %s tiny items", count(s.mapItems))
	exe := fmt.Sprintf("executor map: %s tasks", count(s.tasks))
	lock := fmt.Sprintf("Lock counter: %d × %s", s.threads, count(s.incs))

	for _, w := range []struct {
		workload string
		model    model
		workers  []int
		run      runner
	}{
		{cpu, pyThreads, []int{1, o.cores}, py("cpu_threads.py", workers, fixed(s.squares))},
		{cpu, pyProcesses, []int{1, o.cores}, py("cpu_process_per_core.py", workers, fixed(s.squares))},
		{cpu, goGoroutine, []int{1, o.cores}, goCPU(s)},
		{cpu, goProcesses, []int{1, o.cores}, goProcessPool(s)},
		{io, pyThreads, []int{s.waits}, py("io_threads.py", fixed(s.waits), fixed(secs))},
		{io, pyAsyncio, []int{s.waits}, py("io_asyncio.py", fixed(s.waits), fixed(secs))},
		{io, goGoroutine, []int{s.waits}, goIO(s)},
		{pmap, pyProcesses, []int{o.cores}, py("pool_map.py", fixed(s.mapItems), workers)},
		{pmap, goGoroutine, []int{o.cores}, goPoolMap(s)},
		{exe, pyThreads, []int{3}, py("executor_map.py", fixed(s.tasks), workers)},
		{exe, goGoroutine, []int{3}, goExecutor(s)},
		{lock, pyThreads, []int{s.threads}, py("lock_counter.py", fixed(s.threads), fixed(s.incs))},
		{lock, goGoroutine, []int{s.threads}, goScenario("counter-mutex", func(c *scenarios.Config, w int) {
			c.Workers, c.Items = w, s.incs
		}, nil)},
	} {
		// The runs of one model alternate between its worker counts, rep
		// after rep, so that a burst of load on the shared machine spoils
		// one run of each rather than every run of one.
		fmt.Fprintf(progress, "pycompare: %s, %s\n", w.workload, w.model)
		ms, err := bestOf(ctx, o.reps, w.run, w.workers)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var one time.Duration
		for i, n := range w.workers {
			r := row{workload: w.workload, model: w.model, workers: n}
			if err != nil {
				r.note = err.Error()
				t.rows = append(t.rows, r)
				continue
			}
			m := ms[i]
			r.wall, r.items = m.wall, m.items
			if n == 1 {
				one = m.wall
			} else if one > 0 {
				r.speedup = float64(one) / float64(m.wall)
			}
			if w.workload == io {
				r.speedup = float64(s.waits) * float64(s.latency) / float64(m.wall)
			}
			t.rows = append(t.rows, r)
		}
	}
	t.ratios()
	t.check(cpu, io)
	return t, nil
}

// bestOf runs r reps times with each worker count, the counts taken in
// turn, and returns the fastest run of each.
func bestOf(ctx context.Context, reps int, r runner, workers []int) ([]measure, error) {
	best := make([]measure, len(workers))
	for rep := range reps {
		for i, n := range workers {
			m, err := r(ctx, n)
			if err != nil {
				return nil, err
			}
			if rep == 0 || m.wall < best[i].wall {
				best[i] = m
			}
		}
	}
	return best, nil
}

// ratios fills in each Go row's wall time over the best Python wall time of
// the same workload and workers.
func (t *table) ratios() {
	for i := range t.rows {
		g := &t.rows[i]
		if !g.model.isGo() || g.wall == 0 {
			continue
		}
		var bestPy time.Duration
		for _, p := range t.rows {
			if !p.model.isGo() && p.workload == g.workload && p.workers == g.workers && p.wall > 0 && (bestPy == 0 || p.wall < bestPy) {
				bestPy = p.wall
			}
		}
		if bestPy > 0 {
			g.ratio = float64(g.wall) / float64(bestPy)
		}
	}
}

func (t *table) find(workload string, m model, workers int) (row, bool) {
	for _, r := range t.rows {
		if r.workload == workload && r.model == m && r.workers == workers && r.wall > 0 {
			return r, true
		}
	}
	return row{}, false
}

// check states the article's claims and whether the table bears them out.
func (t *table) check(cpu, io string) {
	n := t.o.cores
	add := func(text string, ok bool, why string) { t.claims = append(t.claims, claim{text, ok, why}) }
	speed := func(m model) (float64, bool) {
		r, ok := t.find(cpu, m, n)
		return r.speedup, ok && r.speedup > 0
	}
	if n < 2 {
		add("speed-ups need 2 cores or more", false, fmt.Sprintf("-cores %d", n))
	}
	if s, ok := speed(pyThreads); ok {
		add("threads give CPU-bound Python no speed-up (the GIL)", s < 1.2, fmt.Sprintf("Python threads: %.2f× on %d cores", s, n))
	}
	if s, ok := speed(pyProcesses); ok {
		add("processes do", s >= 1.5, fmt.Sprintf("Python processes: %.2f× on %d cores", s, n))
	}
	if s, ok := speed(goGoroutine); ok {
		r, _ := t.find(cpu, goGoroutine, n)
		add("goroutines do, with far less overhead than either", s >= 1.5 && r.ratio > 0 && r.ratio < 0.5,
			fmt.Sprintf("Go goroutines: %.2f× on %d cores, %.3f of the best Python's wall time", s, n, r.ratio))
	}
	if s, ok := speed(goProcesses); ok {
		add("Go processes do too, at the cost of start-up and serialisation", s >= 1.5, fmt.Sprintf("Go processes: %.2f× on %d cores", s, n))
	}
	var waits []string
	all := true
	seen := 0
	for _, m := range []model{pyThreads, pyAsyncio, goGoroutine} {
		r, ok := t.find(io, m, t.o.sizes.waits)
		if !ok {
			continue
		}
		seen++
		// Overlapped: the waits took a few latencies, not one per item.
		ok = r.wall < 10*t.o.sizes.latency
		all = all && ok
		waits = append(waits, fmt.Sprintf("%s %v", m, r.wall.Round(time.Millisecond)))
	}
	if seen > 0 {
		add("for I/O, threads, asyncio and goroutines all overlap waits", all,
			fmt.Sprintf("%s, for %s in turn (each must be under 10 × %v)", strings.Join(waits, ", "),
				(time.Duration(t.o.sizes.waits)*t.o.sizes.latency).String(), t.o.sizes.latency))
	}
}

func (t *table) print(w io.Writer) {
	fmt.Fprintf(w, "Python (the article's programs, scripts/python) beside Go (the conclab scenarios), same work; best of %d runs; %d cores.\n\n", t.o.reps, t.o.cores)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "workload\tmodel\tworkers\twall\tper item\tspeed-up\tGo/Python")
	last := ""
	var notes []string
	for _, r := range t.rows {
		wl := r.workload
		if wl == last {
			wl = ""
		}
		last = r.workload
		if r.note != "" {
			notes = append(notes, r.note)
			fmt.Fprintf(tw, "%s\t%s\t%d\tn/a [%d]\t\t\t\n", wl, r.model, r.workers, len(notes))
			continue
		}
		per := ""
		if r.items > 0 {
			per = perItem(r.wall, r.items)
		}
		sp, ra := "", ""
		if r.speedup > 0 {
			sp = fmt.Sprintf("%.2f×", r.speedup)
		}
		if r.ratio > 0 {
			ra = fmt.Sprintf("%.3f", r.ratio)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\n", wl, r.model, r.workers, round(r.wall), per, sp, ra)
	}
	tw.Flush()
	for i, n := range notes {
		fmt.Fprintf(w, "[%d] %s\n", i+1, n)
	}
	fmt.Fprintln(w, "\nspeed-up: CPU, the 1-worker wall time over this one; I/O, the waits taken in turn (N × latency) over this wall time.")
	fmt.Fprintln(w, "Go/Python: the Go wall time over the best Python wall time on the same workload and workers (< 1: Go is faster).")
	fmt.Fprintln(w, "\nThe article's claims:")
	for _, c := range t.claims {
		mark := "yes"
		if !c.ok {
			mark = "NO "
		}
		fmt.Fprintf(w, "  [%s] %s: %s\n", mark, c.text, c.why)
	}
}

// perItem formats the time per item of a run of items taking d.
func perItem(d time.Duration, items int) string {
	ns := float64(d) / float64(items)
	switch {
	case ns < 1000:
		return fmt.Sprintf("%.1f ns", ns)
	case ns < 1e6:
		return fmt.Sprintf("%.2f µs", ns/1e3)
	}
	return fmt.Sprintf("%.2f ms", ns/1e6)
}

func round(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return d.Round(time.Microsecond).String()
	case d < time.Second:
		return d.Round(10 * time.Microsecond).String()
	}
	return d.Round(time.Millisecond).String()
}

// count prints n with thin groups: 20 000 000.
func count(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// runPython runs one of the article's programs and reads the JSON line it
// prints: {"wall": seconds, "items": n}.
func runPython(ctx context.Context, python string, argv []string) (measure, error) {
	cmd := exec.CommandContext(ctx, python, argv...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return measure{}, fmt.Errorf("%s %s: %v: %s", python, strings.Join(argv, " "), err, lastLine(stderr.String()))
	}
	var out struct {
		Wall  float64 `json:"wall"`
		Items int     `json:"items"`
	}
	if err := json.Unmarshal([]byte(lastLine(stdout.String())), &out); err != nil {
		return measure{}, fmt.Errorf("%s %s: reading its output %q: %v", python, strings.Join(argv, " "), stdout.String(), err)
	}
	return measure{wall: time.Duration(out.Wall * float64(time.Second)), items: out.Items}, nil
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// goScenario measures one run of a registered scenario, its defaults set
// by configure for the given workers, and checks the result against the
// scenario's invariant. A scenario that is not registered is an error.
// The items of the measure are the scenario's Result.Items, or what
// items(cfg, res) returns when it is not nil.
func goScenario(name string, configure func(c *scenarios.Config, workers int), items func(scenarios.Config, scenarios.Result) int) runner {
	return func(ctx context.Context, workers int) (measure, error) {
		s, err := scenarios.Lookup(name)
		if err != nil {
			return measure{}, fmt.Errorf("scenario %s not in this build", name)
		}
		cfg := s.Defaults
		configure(&cfg, workers)
		if err := cfg.Validate(); err != nil {
			return measure{}, fmt.Errorf("%s: %v", name, err)
		}
		start := time.Now()
		res, err := s.Run(ctx, cfg)
		wall := time.Since(start)
		if err != nil {
			return measure{}, fmt.Errorf("%s: %v", name, err)
		}
		if err := s.Check(cfg, res); err != nil {
			return measure{}, fmt.Errorf("%s: invariant: %v", name, err)
		}
		m := measure{wall: wall, items: res.Items}
		if items != nil {
			m.items = items(cfg, res)
		}
		return m, nil
	}
}
