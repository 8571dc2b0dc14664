package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/conclab/conclab/internal/gotool"
	"github.com/conclab/conclab/internal/verdict"
	"github.com/conclab/conclab/scenarios"
)

// sizes is the work of each comparison. Python and Go do the same loop,
// but Go does it some 30 times faster, so its CPU work is larger: each side
// sized so that its fixed costs (process start-up, worker spawn,
// serialisation) stay a few percent of its wall time. Per-item times make
// the two comparable.
type sizes struct {
	pySquares int           // iterations of Python's CPU loop, split between the workers
	goSquares int           // iterations of Go's
	goRange   int           // Go's squares per range handed to a worker (process-pool's Work)
	waits     int           // concurrent I/O waits
	latency   time.Duration // the length of each
	mapItems  int           // items of Pool.map
	tasks     int           // tasks of ThreadPoolExecutor.map
	threads   int           // the Lock example's threads ...
	incs      int           // ... and increments per thread
}

var (
	// fullSizes: about 1.5 s of Python's loop on one core and 1.2 s of
	// Go's; 500 waits of the article's 2 s, so that starting the threads
	// (about 0.1 ms each) is a few percent of the wall time, not a quarter
	// of it; the article's 5 threads of the Lock example, each adding
	// 200 000 rather than 10 000 so that starting them is not most of the
	// run.
	fullSizes = sizes{pySquares: 40_000_000, goSquares: 1_000_000_000, goRange: 10_000_000,
		waits: 500, latency: 2 * time.Second, mapItems: 1_000_000, tasks: 50_000, threads: 5, incs: 200_000}
	// quickSizes: a smoke test; fixed costs are too large a share for
	// most claims to be judged.
	quickSizes = sizes{pySquares: 2_000_000, goSquares: 50_000_000, goRange: 1_000_000,
		waits: 100, latency: 100 * time.Millisecond, mapItems: 100_000, tasks: 5_000, threads: 5, incs: 10_000}
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

// measure is one run of a program: its wall time and the items it did.
type measure struct {
	wall  time.Duration
	items int
}

// runner measures one run of a program.
type runner func(ctx context.Context) (measure, error)

// A config is one configuration measured: a model running a workload with
// some workers, and the same program with no work, whose wall time is its
// fixed costs.
type config struct {
	workload string
	model    model
	workers  int
	run      runner
	zero     runner
	// together names the configurations whose runs mostly sleep and run
	// at the same time (see measureAll); empty for one that runs alone.
	together string

	// walls and zeros are the wall seconds of each run and zero-work run;
	// items is the items of a run.
	walls, zeros []float64
	items        int
	// load is what other programs used while the runs ran; loads[i] what
	// they used during run i.
	load  verdict.Load
	loads []verdict.Load
	// err is the first failure: the configuration has no figures.
	err error
}

// fixedShare is the median fixed cost over the median wall time.
func (c *config) fixedShare() float64 {
	w := verdict.Median(c.walls)
	if w == 0 {
		return 0
	}
	return verdict.Median(c.zeros) / w
}

// perItem is each run's wall seconds per item.
func (c *config) perItem() []float64 { return c.per(c.walls) }

// fixedPerItem is each zero-work run's wall seconds per item of the run.
func (c *config) fixedPerItem() []float64 { return c.per(c.zeros) }

func (c *config) per(secs []float64) []float64 {
	out := make([]float64, len(secs))
	for i, w := range secs {
		out[i] = w / float64(max(c.items, 1))
	}
	return out
}

// The workloads, named for the table.
type workloads struct{ cpu, io, pmap, exe, lock string }

func names(s sizes) workloads {
	return workloads{
		cpu:  fmt.Sprintf("CPU: %s squares (Go: %s)", count(s.pySquares), count(s.goSquares)),
		io:   fmt.Sprintf("I/O: %s waits of %v", count(s.waits), s.latency),
		pmap: fmt.Sprintf("Pool.map: %s tiny items", count(s.mapItems)),
		exe:  fmt.Sprintf("executor map: %s tasks", count(s.tasks)),
		lock: fmt.Sprintf("Lock counter: %d × %s", s.threads, count(s.incs)),
	}
}

// configs lists every configuration of the comparison, in the table's order.
func configs(o options) []*config {
	s, wl := o.sizes, names(o.sizes)
	py := func(script string, args ...string) runner {
		return func(ctx context.Context) (measure, error) {
			return runPython(ctx, o.python, append([]string{filepath.Join(o.scripts, script)}, args...))
		}
	}
	itoa := strconv.Itoa
	secs := func(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) }
	var cs []*config
	add := func(workload string, m model, workers int, run, zero runner) {
		cs = append(cs, &config{workload: workload, model: m, workers: workers, run: run, zero: zero})
	}
	for _, n := range workerCounts(o.cores) {
		add(wl.cpu, pyThreads, n, py("cpu_threads.py", itoa(n), itoa(s.pySquares)), py("cpu_threads.py", itoa(n), "0"))
	}
	for _, n := range workerCounts(o.cores) {
		add(wl.cpu, pyProcesses, n, py("cpu_process_per_core.py", itoa(n), itoa(s.pySquares)), py("cpu_process_per_core.py", itoa(n), "0"))
	}
	for _, n := range workerCounts(o.cores) {
		add(wl.cpu, goGoroutine, n, goCPU(s, n, true), goCPU(s, n, false))
	}
	for _, n := range workerCounts(o.cores) {
		add(wl.cpu, goProcesses, n, goProcessPool(s, n, true), goProcessPool(s, n, false))
	}
	add(wl.io, pyThreads, s.waits, py("io_threads.py", itoa(s.waits), secs(s.latency)), py("io_threads.py", itoa(s.waits), "0"))
	add(wl.io, pyAsyncio, s.waits, py("io_asyncio.py", itoa(s.waits), secs(s.latency)), py("io_asyncio.py", itoa(s.waits), "0"))
	add(wl.io, goGoroutine, s.waits, goIO(s, s.latency), goIO(s, 0))
	// Python's threads start and wake 500 threads, enough CPU to jostle
	// another program's waits: they run alone. asyncio's one event loop
	// and Go's goroutines barely use a core: they wait side by side.
	cs[len(cs)-2].together, cs[len(cs)-1].together = "waits", "waits"
	// Pool.map of no items fails in the article's program: one item is
	// its least work.
	add(wl.pmap, pyProcesses, o.cores, py("pool_map.py", itoa(s.mapItems), itoa(o.cores)), py("pool_map.py", "1", itoa(o.cores)))
	add(wl.pmap, goGoroutine, o.cores, goPoolMap(o.cores, s.mapItems), goPoolMap(o.cores, 1))
	add(wl.exe, pyThreads, 3, py("executor_map.py", itoa(s.tasks), "3"), py("executor_map.py", "0", "3"))
	add(wl.exe, goGoroutine, 3, goExecutor(3, s.tasks), goExecutor(3, 0))
	add(wl.lock, pyThreads, s.threads, py("lock_counter.py", itoa(s.threads), itoa(s.incs)), py("lock_counter.py", itoa(s.threads), "0"))
	add(wl.lock, goGoroutine, s.threads, goCounter(s.threads, s.incs), goCounter(s.threads, 0))
	return cs
}

// workerCounts is 1 and the machine's cores: the two ends of a speed-up.
func workerCounts(cores int) []int {
	if cores <= 1 {
		return []int{1}
	}
	return []int{1, cores}
}

// measureAll runs every configuration reps times, interleaved: each rep
// runs every configuration once, then its zero-work program, so that a
// burst of load on a shared machine spoils one run of each rather than
// every run of one. Consecutive configurations that wait side by side
// (the same together: asyncio's and Go's I/O) run at the same time, then
// their zero-work programs at the same time: they sleep, so they barely
// compete for the cores, and the longer wait sets the pace. A configuration that fails is left out of the later
// reps, with its error; the others go on. Only ctx's end stops it all.
func measureAll(ctx context.Context, cs []*config, reps int, progress io.Writer) error {
	for rep := range reps {
		fmt.Fprintf(progress, "pycompare: run %d of %d\n", rep+1, reps)
		for i := 0; i < len(cs); {
			n := 1
			for cs[i].together != "" && i+n < len(cs) && cs[i+n].together == cs[i].together {
				n++
			}
			if err := measureGroup(ctx, cs[i:i+n]); err != nil {
				return err
			}
			i += n
		}
	}
	return nil
}

// measureGroup runs each configuration of g that has not failed once, all
// at the same time, then their zero-work programs, and records the wall
// times and the load other programs put on the machine meanwhile (the
// same for every configuration of g).
func measureGroup(ctx context.Context, g []*config) error {
	var live []*config
	for _, c := range g {
		if c.err == nil {
			live = append(live, c)
		}
	}
	runs, l := measured(ctx, live, func(c *config) runner { return c.run })
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var ran []*config
	for i, c := range live {
		if runs[i].err != nil {
			c.err = runs[i].err
			continue
		}
		c.walls = append(c.walls, runs[i].m.wall.Seconds())
		c.items = runs[i].m.items
		c.load = c.load.Add(l)
		c.loads = append(c.loads, l)
		ran = append(ran, c)
	}
	zeros, _ := measured(ctx, ran, func(c *config) runner { return c.zero })
	if ctx.Err() != nil {
		return ctx.Err()
	}
	for i, c := range ran {
		if zeros[i].err != nil {
			c.err = fmt.Errorf("its zero-work run: %w", zeros[i].err)
			continue
		}
		c.zeros = append(c.zeros, zeros[i].m.wall.Seconds())
	}
	return nil
}

// outcome is one run's measure or its failure.
type outcome struct {
	m   measure
	err error
}

// measured runs the runner of each of cs, all at the same time, and
// measures the load other programs put on the machine meanwhile.
func measured(ctx context.Context, cs []*config, r func(*config) runner) ([]outcome, verdict.Load) {
	out := make([]outcome, len(cs))
	meter := verdict.Start()
	if len(cs) == 1 {
		out[0].m, out[0].err = r(cs[0])(ctx)
		return out, meter.Stop()
	}
	var wg sync.WaitGroup
	for i, c := range cs {
		wg.Go(func() { out[i].m, out[i].err = r(c)(ctx) })
	}
	wg.Wait()
	return out, meter.Stop()
}

// runPython runs one of the article's programs and reads the JSON line it
// prints: {"wall": seconds, "items": n}. A program that fails, or prints
// anything else, is an error naming it.
func runPython(ctx context.Context, python string, argv []string) (measure, error) {
	cmd := exec.CommandContext(ctx, python, argv...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	what := filepath.Base(argv[0]) + " " + strings.Join(argv[1:], " ")
	if err := cmd.Run(); err != nil {
		return measure{}, fmt.Errorf("%s: %v: %s", what, err, gotool.LastLine(stderr.String()))
	}
	var out struct {
		Wall  *float64 `json:"wall"`
		Items int      `json:"items"`
	}
	var line string
	if strings.TrimSpace(stdout.String()) != "" {
		line = gotool.LastLine(stdout.String())
	}
	if err := json.Unmarshal([]byte(line), &out); err != nil || out.Wall == nil || *out.Wall < 0 || math.IsInf(*out.Wall, 0) || math.IsNaN(*out.Wall) {
		return measure{}, fmt.Errorf("%s: printed %q, not {\"wall\": SECONDS, \"items\": N}", what, truncate(line, 60))
	}
	return measure{wall: time.Duration(*out.Wall * float64(time.Second)), items: out.Items}, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// goScenario measures one run of a registered scenario, its defaults set
// by configure, and checks the result against the scenario's invariant. A
// scenario that is not registered is an error. The items of the measure
// are the scenario's Result.Items, or what items(cfg, res) returns when it
// is not nil.
//
// A checksum scenario (cpu-bound, process-pool: its Check recomputes the
// checksum serially, as long as the run itself on one core) is checked on
// its first run; a later run with the same Total and Items as that checked
// one passes without recomputing it, and any other is checked again. The
// runner is then not safe for concurrent use.
func goScenario(name string, configure func(c *scenarios.Config), items func(scenarios.Config, scenarios.Result) int, checksum bool) runner {
	var checked *scenarios.Result
	return func(ctx context.Context) (measure, error) {
		s, err := scenarios.Lookup(name)
		if err != nil {
			return measure{}, fmt.Errorf("scenario %s not in this build", name)
		}
		cfg := s.Defaults
		configure(&cfg)
		if err := cfg.Validate(); err != nil {
			return measure{}, fmt.Errorf("%s: %v", name, err)
		}
		start := time.Now()
		res, err := s.Run(ctx, cfg)
		wall := time.Since(start)
		if err != nil {
			return measure{}, fmt.Errorf("%s: %v", name, err)
		}
		if checked == nil || res.Total != checked.Total || res.Items != checked.Items {
			if err := s.Check(cfg, res); err != nil {
				return measure{}, fmt.Errorf("%s: invariant: %v", name, err)
			}
			if checksum {
				checked = &res
			}
		}
		m := measure{wall: wall, items: res.Items}
		if items != nil {
			m.items = items(cfg, res)
		}
		return m, nil
	}
}
