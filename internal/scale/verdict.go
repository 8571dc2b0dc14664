package scale

import (
	"fmt"
	"strings"

	"github.com/conclab/conclab/internal/pprofkit"
)

// Category is the kind of a verdict: what stops a benchmark scaling.
type Category string

// The verdicts, from the profiles of one benchmark at one core count.
const (
	// Scales: efficiency (speed-up ÷ n) of at least [ScalesEfficiency].
	Scales Category = "scales"
	// GC: the garbage collector takes the largest share of CPU among the
	// overheads, at least [CauseShare].
	GC Category = "gc"
	// Contention: goroutines wait for a lock (mutex wait per op relative to
	// the cores' time per op) or spin and hand over locks (CPU share), at
	// least [CauseShare].
	Contention Category = "contention"
	// Scheduler: the scheduler takes at least [CauseShare] of CPU.
	Scheduler Category = "scheduler"
	// Busy: the cores are busy but each operation costs more CPU than at
	// n = 1 (shared cache lines, memory bandwidth, work that grows with n).
	Busy Category = "busy"
	// Serial: cores idle, with no GC, lock or scheduler cost to explain it:
	// a serial section, or waiting (the block profile says where).
	Serial Category = "serial"
	// Oversubscribed: more GOMAXPROCS than the machine has cores.
	Oversubscribed Category = "oversubscribed"
	// Unknown: too few CPU samples to say, or no n = 1 to compare with.
	Unknown Category = "unknown"
	// Failed: the benchmark failed or panicked at this core count.
	Failed Category = "failed"
)

// Thresholds of the verdicts.
const (
	// MinSamples is the fewest CPU samples (10 ms each) a share is quoted
	// from; below it the report says "too few samples". It is more than
	// pprofkit.MinFlameSamples, the fewest a flame graph is drawn from:
	// at 50 samples one sample moves a share by 2 %, at 10 by 10 %.
	MinSamples = 50
	// CauseShare is the smallest share (of CPU, or of the cores' time for
	// mutex wait) that names a cause.
	CauseShare = 0.2
	// ScalesEfficiency is the efficiency at which a benchmark scales.
	ScalesEfficiency = 0.8
	// BusyParallelism is the fraction of n busy cores above which idle
	// cores cannot explain the loss.
	BusyParallelism = 0.75
	// OneCore is the parallelism around which (1 ± 0.25), with little mutex
	// wait, no blocking and a share of CPU in locking no larger than at
	// n = 1, a benchmark runs one goroutine at a time: its shares of CPU
	// describe that goroutine's work (a channel's own locks, say), not what
	// keeps the other cores idle. Goroutines that queue for a lock keep
	// about one core busy too, but they block, or their locking grows.
	// Well under one core busy, a benchmark mostly waits.
	OneCore = 1.25
	// LockGrowth is how much larger than at n = 1 the share of CPU in
	// locking must be for one busy core to be contention rather than one
	// goroutine's work: a channel's own locks take a share at every n.
	LockGrowth = 0.1
)

// Verdict is the diagnosis of one benchmark at one core count.
type Verdict struct {
	Category Category
	// Text says it in numbers a person can act on.
	Text string
	// Speedup and Efficiency are against n = 1; 0 when unknown.
	Speedup, Efficiency float64
}

// diagnose reads why b stops scaling at p, on a machine with cores cores.
func diagnose(b *Benchmark, p *Point, cores int) Verdict {
	if p.Err != "" {
		return Verdict{Category: Failed, Text: p.Err}
	}
	var v Verdict
	if one := b.point(1); one != nil && one.Err == "" && p.NsOp() > 0 {
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
	o := p.Overheads
	n := p.Procs
	mutexFrac := 0.0
	if p.MutexPerOp != nil && p.NsOp() > 0 {
		// Seconds waited per op ÷ seconds of all n cores per op.
		mutexFrac = *p.MutexPerOp / (float64(n) * p.NsOp() * 1e-9)
	}
	if o.Samples < MinSamples {
		if mutexFrac < CauseShare {
			v.Category, v.Text = Unknown, fmt.Sprintf("too few samples (%d CPU samples, at least %d needed): raise -benchtime", o.Samples, MinSamples)
			return v
		}
		// The mutex profile alone names the cause; the CPU shares say nothing.
		o = profilingOverheadsNone
	}
	oneCore := p.Parallelism > 2-OneCore && p.Parallelism < OneCore && mutexFrac < CauseShare &&
		p.BlockSite == nil && o.Lock < baselineLock(b)+LockGrowth
	if oneCore {
		o = profilingOverheadsNone
	}
	contention := max(o.Lock, mutexFrac)
	cause, share := Category(""), CauseShare
	for _, c := range []struct {
		cat   Category
		share float64
	}{{GC, o.GC}, {Contention, contention}, {Scheduler, o.Sched}} {
		if c.share >= share {
			cause, share = c.cat, c.share
		}
	}
	switch {
	case cause == GC:
		v.Category = GC
		v.Text = fmt.Sprintf("GC: %s of CPU at n = %d, allocations per op: %s (%s/op); allocator %s",
			pct(o.GC), n, num(p.AllocsPerOp), bytesSize(p.BytesPerOp), pct(o.Alloc))
	case cause == Contention:
		v.Category = Contention
		var parts []string
		if p.MutexSite != nil {
			parts = append(parts, fmt.Sprintf("contention on %s: %s of mutex wait", p.MutexSite, pct(p.MutexSite.Share)))
		} else {
			parts = append(parts, "lock contention")
		}
		if p.MutexPerOp != nil {
			parts = append(parts, fmt.Sprintf("mutex wait %s per op (%s of the %d cores' time)", seconds(*p.MutexPerOp), pct(mutexFrac), n))
		}
		if o.Samples >= MinSamples {
			parts = append(parts, fmt.Sprintf("locking %s of CPU", pct(o.Lock)))
		}
		v.Text = strings.Join(parts, "; ")
	case cause == Scheduler:
		v.Category = Scheduler
		v.Text = fmt.Sprintf("scheduler: %s of CPU at n = %d finding, parking and waking goroutines (work per goroutine too small?)", pct(o.Sched), n)
	case v.Efficiency >= ScalesEfficiency:
		v.Category = Scales
		v.Text = fmt.Sprintf("%.2f× at n = %d (efficiency %s), %.2f cores busy", v.Speedup, n, pct(v.Efficiency), p.Parallelism)
		if v.Efficiency > 1.1 {
			v.Text += "; a speed-up above n says the n = 1 run was slowed, by other load or a cold start"
		}
	case cores > 0 && n > cores:
		v.Category = Oversubscribed
		v.Text = fmt.Sprintf("n = %d is more than the machine's %d cores: no more cores to use", n, cores)
	case p.Parallelism >= BusyParallelism*float64(n):
		v.Category = Busy
		v.Text = fmt.Sprintf("cores busy (%.2f of %d) but no GC, lock or scheduler cost: ", p.Parallelism, n)
		// CPU per op is parallelism × wall time per op.
		if one := b.point(1); one.Parallelism > 0 {
			v.Text += fmt.Sprintf("each op takes %.1f× the CPU it takes at n = 1 ", (p.Parallelism*p.NsOp())/(one.Parallelism*one.NsOp()))
		} else {
			v.Text += "each op takes more CPU than at n = 1 "
		}
		v.Text += fmt.Sprintf("(shared cache lines, memory bandwidth, or work that grows with n); top: %s %s", shortFunc(p.Top), pct(p.TopShare))
	case oneCore:
		v.Category = Serial
		v.Text = fmt.Sprintf("one core busy (%.2f of %d), no lock wait, no blocking: the benchmark runs one goroutine at a time (a b.N loop without b.RunParallel or goroutines of its own?) or through one serial section", p.Parallelism, n)
	default:
		v.Category = Serial
		v.Text = fmt.Sprintf("cores idle: %.2f of %d busy, with no GC, lock or scheduler cost: a serial section or waiting", p.Parallelism, n)
		if p.BlockSite != nil && p.BlockPerOp != nil {
			v.Text += fmt.Sprintf("; blocked %s per op, %s of it at %s", seconds(*p.BlockPerOp), pct(p.BlockSite.Share), p.BlockSite)
		}
	}
	return v
}

// baselineLock is the share of CPU in locking at n = 1, or 0 when unknown.
func baselineLock(b *Benchmark) float64 {
	if one := b.point(1); one != nil && one.Overheads.Samples >= MinSamples {
		return one.Overheads.Lock
	}
	return 0
}

// profilingOverheadsNone stands for CPU shares too thin to quote.
var profilingOverheadsNone = pprofkit.Overheads{}

// verdictPoint is the point a benchmark's overall verdict is read at: the
// largest n whose profiles name a cause (GC, contention, scheduler), else
// the largest n the machine has cores for, else the largest n.
func verdictPoint(b *Benchmark, cores int) *Point {
	var cause, best, over *Point
	for _, p := range b.Points {
		if p.Procs <= 1 {
			continue
		}
		switch diagnose(b, p, cores).Category {
		case GC, Contention, Scheduler:
			if cause == nil || p.Procs > cause.Procs {
				cause = p
			}
		}
		if p.Procs <= cores && (best == nil || p.Procs > best.Procs) {
			best = p
		}
		if over == nil || p.Procs > over.Procs {
			over = p
		}
	}
	switch {
	case cause != nil:
		return cause
	case best != nil:
		return best
	}
	return over
}
