package scale

import (
	"fmt"
	"strings"
)

// Category is the kind of a verdict: what stops a benchmark scaling. Each
// is named by the largest category of parts in the point's [Account].
type Category string

// The verdicts, from the profiles of one benchmark at one core count.
const (
	// Scales: efficiency (throughput ÷ m × that of n = 1) of at least
	// [ScalesEfficiency].
	Scales Category = "scales"
	// Contention: goroutines wait for a sync.Mutex or RWMutex, or burn CPU
	// in lock slow paths.
	Contention Category = "contention"
	// Channel: goroutines wait on channels (one owner goroutine serving
	// the others, an unbuffered hand-off).
	Channel Category = "channel"
	// Sync: goroutines wait on a WaitGroup, a Cond or another semaphore.
	Sync Category = "sync"
	// Serial: the work runs on the benchmark's own goroutine (a b.N loop,
	// or a serial section between parallel parts).
	Serial Category = "serial"
	// Waiting: goroutines are off-CPU with no wait any profile records:
	// sleeping, I/O, syscalls.
	Waiting Category = "waiting"
	// GC: the garbage collector and the allocator.
	GC Category = "gc"
	// Scheduler: starting, parking, waking and stealing goroutines.
	Scheduler Category = "scheduler"
	// Memory: each op takes more CPU in the benchmark's own code, with no
	// runtime cause: cache-line contention, false sharing, memory
	// bandwidth.
	Memory Category = "memory"
	// Idle: cores idle that nothing recorded accounts for.
	Idle Category = "idle"
	// Inconclusive: two causes too close to call, or too few samples.
	Inconclusive Category = "inconclusive"
	// Unknown: no n = 1 to compare with, or the baseline itself.
	Unknown Category = "unknown"
	// Failed: the benchmark failed or panicked at this core count.
	Failed Category = "failed"
)

// Thresholds of the verdicts.
const (
	// MinSamples is the fewest CPU samples (10 ms each) a share is quoted
	// from; below it the report says "too few samples", and the CPU per op
	// that grew is not split by cause. It is more than
	// pprofkit.MinFlameSamples, the fewest a flame graph is drawn from:
	// at 50 samples one sample moves a share by 2 %, at 10 by 10 %.
	MinSamples = 50
	// MinIdleSamples is the fewest CPU samples at n = 1 and at n that an
	// effective parallelism, and so the idle cores, is read from. It is
	// low because a benchmark asleep 90 % of the time takes only about
	// 10 samples in the default -benchtime of 1s: at 5 a parallelism is read within
	// about ±45 %, which moves the idle cores between their half and the
	// CPU's, but not what the idle cores waited on (the wait profiles and
	// the off-CPU time, not the CPU samples, split it); and below
	// [MinSamples] the CPU half is not split, so a noisy reading of it is
	// inconclusive, not a cause.
	MinIdleSamples = 5
	// BaselineIdle is the share of the one core at n = 1 that idles in
	// the testing framework itself (the binary's start, the b.N ramp-up,
	// writing the profiles): off-CPU time beyond it is sleeping or I/O.
	BaselineIdle = 0.05
	// ScalesEfficiency is the efficiency at which a benchmark scales.
	ScalesEfficiency = 0.8
	// Margin is how much larger (as a share of the loss) the largest
	// cause must be than the next for a verdict; closer, the verdict is
	// inconclusive and names both.
	Margin = 0.1
	// OneGoroutine is the share of the work's CPU on the benchmark's own
	// goroutine from which it is said to have no goroutines of its own.
	OneGoroutine = 0.95
)

// Verdict is the diagnosis of one benchmark at one core count.
type Verdict struct {
	Category Category
	// Text says it in numbers a person can act on.
	Text string
	// Speedup and Efficiency are against n = 1; 0 when unknown.
	Speedup, Efficiency float64
	// Account is where the loss went; nil when there is none to read.
	Account *Account
	// Share is the verdict's share of the loss.
	Share float64
}

// diagnose reads why b stops scaling at p, on a machine with cores cores.
func diagnose(b *Benchmark, p *Point, cores int) Verdict {
	if p.Err != "" {
		return Verdict{Category: Failed, Text: p.Err}
	}
	var v Verdict
	one := b.point(1)
	if one != nil && one.Err == "" && p.NsOp() > 0 {
		v.Speedup = one.NsOp() / p.NsOp()
		v.Efficiency = v.Speedup / float64(p.Procs)
	}
	if p.Procs == 1 {
		v.Category, v.Text = Unknown, "the baseline (n = 1)"
		return v
	}
	if v.Speedup == 0 {
		v.Category, v.Text = Unknown, "no n = 1 measurement to compare with"
		return v
	}
	if few := min(p.Overheads.Samples, one.Overheads.Samples); few < MinIdleSamples || one.Parallelism <= 0 || p.Parallelism <= 0 {
		v.Category, v.Text = Inconclusive, fmt.Sprintf("too few samples (%d CPU samples, at least %d needed at n = 1 and at n = %d): raise -benchtime", few, MinIdleSamples, p.Procs)
		return v
	}
	a := account(one, p, cores)
	v.Account = &a
	n := p.Procs
	if a.Efficiency >= ScalesEfficiency {
		v.Category = Scales
		v.Text = fmt.Sprintf("%.2f× at n = %d (efficiency %s of %d× n = 1), %.2f cores busy", v.Speedup, n, pct(a.Efficiency), a.M, p.Parallelism)
		if a.Efficiency > 1.1 {
			v.Text += "; a speed-up above m says the n = 1 run was slowed, by other load or a cold start"
		}
		return v
	}
	cats := a.byCategory()
	top := cats[0]
	v.Share = top.of / a.Lost
	if len(cats) > 1 && (top.of-cats[1].of)/a.Lost < Margin {
		v.Category = Inconclusive
		v.Text = fmt.Sprintf("%s (%s of the loss) and %s (%s) too close to call (a margin of %s needed) at n = %d; %s",
			top.cat, pct(top.of/a.Lost), cats[1].cat, pct(cats[1].of/a.Lost), pct(Margin), n, a)
		return v
	}
	v.Category = top.cat
	if top.cat == Inconclusive {
		v.Text = fmt.Sprintf("too few samples to split the CPU per op that grew (%s of the loss): at least %d needed at n = 1 and at n = %d, raise -benchtime; %s", pct(v.Share), MinSamples, n, a)
		return v
	}
	v.Text = fmt.Sprintf("%s of the %s lost at n = %d: %s", pct(v.Share), pct(a.Lost), n, explain(top.cat, b, one, p, a))
	return v
}

// explain says what the parts of cat measured.
func explain(cat Category, b *Benchmark, one, p *Point, a Account) string {
	n := p.Procs
	o, o1 := p.Overheads, one.Overheads
	idle := fmt.Sprintf("%.2f of %d cores busy (%.2f at n = 1)", p.Parallelism, a.M, one.Parallelism)
	wait := func(k WaitKind) string {
		s := fmt.Sprintf("%s per op", seconds(p.waitOf(k)))
		if site := p.siteOf(k); site != nil {
			s += fmt.Sprintf(", %s of it at %s", pct(site.Share), site)
		}
		return s
	}
	switch cat {
	case Contention:
		return fmt.Sprintf("goroutines wait for a lock (%s) with %s, and locking takes %s of CPU (%s at n = 1)",
			wait(WaitLock), idle, pct(o.Lock), pct(o1.Lock))
	case Channel:
		return fmt.Sprintf("goroutines wait on a channel (%s) with %s: one goroutine serving the others, or a hand-off too small for its cost", wait(WaitChannel), idle)
	case Sync:
		return fmt.Sprintf("goroutines wait on a WaitGroup, Cond or semaphore (%s) with %s", wait(WaitSync), idle)
	case Serial:
		if a.Serial >= OneGoroutine {
			return fmt.Sprintf("one goroutine does the work: %s of its CPU is on %s's own goroutine, with %s (a b.N loop without b.RunParallel or goroutines of its own)",
				pct(a.Serial), shortBench(b.Name), idle)
		}
		return fmt.Sprintf("a serial section: %s of the work's CPU is on %s's own goroutine while the other cores wait, with %s", pct(a.Serial), shortBench(b.Name), idle)
	case Waiting:
		return fmt.Sprintf("off-CPU with no wait recorded: %.2f of a core busy at n = 1, %s (sleeping, I/O or syscalls)", one.Parallelism, idle)
	case GC:
		return fmt.Sprintf("GC and the allocator take %s of CPU at n = %d (%s at n = 1), each op %.2f× the CPU of n = 1; %s allocs/op (%s/op)",
			pct(o.GC+o.Alloc), n, pct(o1.GC+o1.Alloc), a.Growth, num(p.AllocsPerOp), bytesSize(p.BytesPerOp))
	case Scheduler:
		return fmt.Sprintf("the scheduler takes %s of CPU at n = %d (%s at n = 1), with %s: goroutines too small for the cost of starting, parking and waking them",
			pct(o.Sched), n, pct(o1.Sched), idle)
	case Memory:
		return fmt.Sprintf("each op takes %.2f× the CPU of n = 1 in the benchmark's own code, top %s %s, with no runtime cause: cache-line contention (a shared atomic, counters on one line), false sharing or memory bandwidth",
			a.Growth, shortFunc(p.Top), pct(p.TopShare))
	}
	return fmt.Sprintf("cores idle with no wait recorded: %s (other load on the machine, or too few goroutines)", idle)
}

// shortBench is a benchmark's name without its sub-benchmarks.
func shortBench(name string) string {
	if i := strings.IndexByte(name, '/'); i >= 0 {
		return name[:i]
	}
	return name
}

// verdictPoint is the point a benchmark's overall verdict is read at: the
// largest n the machine has cores for, else the largest n. Past the cores
// the ideal stops growing, and more goroutines than cores time-share
// rather than contend.
func verdictPoint(b *Benchmark, cores int) *Point {
	var best, over *Point
	for _, p := range b.Points {
		if p.Procs <= 1 {
			continue
		}
		if (cores <= 0 || p.Procs <= cores) && (best == nil || p.Procs > best.Procs) {
			best = p
		}
		if over == nil || p.Procs > over.Procs {
			over = p
		}
	}
	if best != nil {
		return best
	}
	return over
}
