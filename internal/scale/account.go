package scale

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Part is one place the lost throughput of a benchmark at n went, as its
// profiles measure it. The account of a point splits the loss — what
// separates its throughput from the ideal, m × the throughput at n = 1,
// with m = n up to the machine's cores — into two halves that add up to it
// exactly:
//
//   - cores idle: effective parallelism below m × that of n = 1, split by
//     what the goroutines waited on;
//   - CPU per op that grew over n = 1, split by where the extra CPU went.
type Part string

// The parts of an account.
const (
	IdleSerial  Part = "idle: serial"  // the work's share on the benchmark's own goroutine (Amdahl)
	IdleLock    Part = "idle: lock"    // goroutines waited for a sync.Mutex or RWMutex
	IdleChannel Part = "idle: channel" // goroutines waited on a channel or a select
	IdleSync    Part = "idle: sync"    // goroutines waited on a WaitGroup, a Cond, a semaphore
	IdleSleep   Part = "idle: sleep"   // off-CPU already at n = 1 with no wait recorded: sleeping, I/O, syscalls
	IdleGC      Part = "idle: gc"      // no wait recorded, the collector busy: assists parked, stop-the-world
	IdleSched   Part = "idle: sched"   // no wait recorded, goroutines runnable but not running
	IdleOther   Part = "idle: other"   // no wait recorded and no runtime cost to show for it
	CPUGC       Part = "cpu: gc"       // more CPU per op in the collector and the allocator
	CPULock     Part = "cpu: lock"     // more CPU per op in lock slow paths and spinning
	CPUSched    Part = "cpu: sched"    // more CPU per op in the scheduler
	CPUUser     Part = "cpu: user"     // more CPU per op in the benchmark's own frames, no runtime cause
	CPUUnsplit  Part = "cpu: unsplit"  // more CPU per op, too few samples to say where
)

// parts is the table of parts: the category each names when it is the
// largest, and what it means, for the legend.
var parts = []struct {
	part Part
	cat  Category
	doc  string
}{
	{IdleSerial, Serial, "the share s of the work's CPU on the benchmark's own goroutine idles the other cores for Amdahl's 1 − 1/(m·s + 1 − s)"},
	{IdleLock, Contention, "the rest of the idle cores in proportion to the waits per op the block and mutex profiles recorded beyond 1/m of those at n = 1 (a join's wait at n = 1, while one core ran the work it waits for, idled no core): for a sync.Mutex or RWMutex"},
	{IdleChannel, Channel, "… for a channel send, receive or select"},
	{IdleSync, Sync, "… for a WaitGroup, a Cond or another semaphore"},
	{IdleGC, GC, "… for the runtime's locks of the allocator and the collector (mutex profile); or, with no wait recorded at all, in proportion to the shares of CPU in GC, locking and the scheduler: GC (assists parked, stop-the-world)"},
	{IdleSleep, Waiting, "… and for the off-CPU time per op at n = 1 that no profile recorded: sleeping, I/O, syscalls"},
	{IdleSched, Scheduler, "(with no wait recorded) the scheduler (goroutines runnable but not running)"},
	{IdleOther, Idle, "idle cores nothing accounts for (other load on the machine, too few goroutines)"},
	{CPUGC, GC, "CPU per op grown in the collector and the allocator"},
	{CPULock, Contention, "CPU per op grown in lock slow paths and spinning (sync's, and the runtime's locks as channels take)"},
	{CPUSched, Scheduler, "CPU per op grown in the scheduler: finding, stealing, starting, parking and waking goroutines (a WaitGroup's or Cond's semaphore too, and runtime stacks with no user frame), and as much of the growth in the benchmark's own frames as its own: goroutines that come and go run their work on cold caches"},
	{CPUUser, Memory, "CPU per op grown in the benchmark's own frames with no runtime cause (beyond what the scheduler's growth explains): cache-line contention, false sharing, memory bandwidth"},
	{CPUUnsplit, Inconclusive, fmt.Sprintf("CPU per op grown, with fewer than %d CPU samples to say where", MinSamples)},
}

func categoryOf(p Part) Category {
	for _, r := range parts {
		if r.part == p {
			return r.cat
		}
	}
	return Unknown
}

// Share is one part of an account: a fraction of the ideal throughput.
type Share struct {
	Part Part
	Of   float64
}

// Account is where the throughput of one point went, against m × that of
// n = 1.
type Account struct {
	// M is the ideal's multiple: n, or the machine's cores when n is more.
	M int
	// Efficiency is the throughput ÷ m × the throughput at n = 1; Lost is
	// 1 − Efficiency, Idle and CPU its two halves.
	Efficiency, Lost, Idle, CPU float64
	// Utilisation is the parallelism ÷ m × the parallelism at n = 1;
	// Growth the CPU per op ÷ that at n = 1.
	Utilisation, Growth float64
	// Serial is the share of the work's CPU on the benchmark's own
	// goroutine.
	Serial float64
	// Parts add up to Lost, largest first.
	Parts []Share
}

// account splits what p lost against the n = 1 point one. cores is the
// machine's (0: unknown). It needs CPU shares at both (see [MinSamples]).
func account(one, p *Point, cores int) Account {
	m := p.Procs
	if cores > 0 {
		m = min(m, cores)
	}
	a := Account{M: m}
	ns1, nsn := one.NsOp(), p.NsOp()
	a.Efficiency = ns1 / nsn / float64(m)
	a.Lost = 1 - a.Efficiency
	a.Utilisation = p.Parallelism / (float64(m) * one.Parallelism)
	c1, cn := one.Parallelism*ns1, p.Parallelism*nsn // core-ns per op
	a.Growth = cn / c1
	a.Idle = 1 - a.Utilisation
	a.CPU = a.Utilisation - a.Efficiency
	add := func(part Part, v float64) {
		if i := slices.IndexFunc(a.Parts, func(s Share) bool { return s.Part == part }); i >= 0 {
			a.Parts[i].Of += v
		} else if v != 0 {
			a.Parts = append(a.Parts, Share{part, v})
		}
	}

	// CPU per op, by where it went: each overhead's core-ns per op at n
	// minus at n = 1, over the core-ns per op at n, scaled by U.
	o1, on := one.Overheads, p.Overheads
	user := func(o struct{ gc, lock, sched float64 }) float64 { return 1 - o.gc - o.lock - o.sched }
	s1 := struct{ gc, lock, sched float64 }{o1.GC + o1.Alloc, o1.Lock, o1.Sched}
	sn := struct{ gc, lock, sched float64 }{on.GC + on.Alloc, on.Lock, on.Sched}
	if min(o1.Samples, on.Samples) < MinSamples {
		add(CPUUnsplit, a.CPU)
	} else {
		for _, c := range []struct {
			part   Part
			v1, vn float64
		}{{CPUGC, s1.gc, sn.gc}, {CPULock, s1.lock, sn.lock}, {CPUSched, s1.sched, sn.sched}, {CPUUser, user(s1), user(sn)}} {
			add(c.part, a.Utilisation*(c.vn*cn-c.v1*c1)/cn)
		}
		a.migrated()
	}

	// Cores idle: first what the serial share explains (Amdahl), then the
	// rest by the waits recorded and the off-CPU time of n = 1.
	a.Serial = p.Roles.BenchShare()
	idle := a.Idle
	if idle > 0 {
		s := a.Serial
		serial := min(idle, 1-1/(float64(m)*s+1-s))
		add(IdleSerial, serial)
		idle -= serial
	}
	if idle > 0 {
		// A wait counts beyond what it was at n = 1 scaled down m times:
		// a join that waited while one core ran the work it waits for
		// waits 1/m as long when m cores run it, and idles none.
		beyond := func(k WaitKind) float64 { return p.waitOf(k) - one.waitOf(k)/float64(m) }
		weights := []Share{
			{IdleLock, beyond(WaitLock)}, {IdleChannel, beyond(WaitChannel)}, {IdleSync, beyond(WaitSync)}, {IdleGC, beyond(WaitGC)},
			{IdleSleep, max(0, 1-BaselineIdle-one.Parallelism) * ns1 * 1e-9},
		}
		if !spread(weights, idle, add) && !spread([]Share{{IdleGC, on.GC + on.Alloc}, {IdleSched, on.Sched}, {IdleLock, on.Lock}}, idle, add) {
			add(IdleOther, idle)
		}
	} else if idle < 0 {
		// More cores busy than m × those of n = 1 (a baseline that idled):
		// the gain offsets what the rest lost.
		add(IdleOther, idle)
	}
	slices.SortStableFunc(a.Parts, func(x, y Share) int { return cmp.Compare(y.Of, x.Of) })
	return a
}

// migrated moves growth in the benchmark's own frames to the scheduler, as
// much as the scheduler's own growth: goroutines that come and go (and are
// stolen by idle processors) run their work on another core than the one
// that made its data, on cold caches, so the more the scheduler works per
// op the more the same work costs. What it does not explain stays memory.
func (a *Account) migrated() {
	user := slices.IndexFunc(a.Parts, func(s Share) bool { return s.Part == CPUUser })
	sched := slices.IndexFunc(a.Parts, func(s Share) bool { return s.Part == CPUSched })
	if user < 0 || sched < 0 {
		return
	}
	moved := min(a.Parts[user].Of, a.Parts[sched].Of)
	if moved <= 0 {
		return
	}
	a.Parts[user].Of -= moved
	a.Parts[sched].Of += moved
}

// spread adds v over the parts in proportion to their weights; false when
// every weight is 0.
func spread(weights []Share, v float64, add func(Part, float64)) bool {
	var sum float64
	for _, w := range weights {
		sum += max(0, w.Of)
	}
	if sum <= 0 {
		return false
	}
	for _, w := range weights {
		add(w.Part, v*max(0, w.Of)/sum)
	}
	return true
}

// byCategory sums an account's parts by the category they name, largest
// first.
func (a Account) byCategory() []catShare {
	var out []catShare
	for _, s := range a.Parts {
		c := categoryOf(s.Part)
		if i := slices.IndexFunc(out, func(x catShare) bool { return x.cat == c }); i >= 0 {
			out[i].of += s.Of
		} else {
			out = append(out, catShare{c, s.Of})
		}
	}
	slices.SortStableFunc(out, func(x, y catShare) int {
		return cmp.Or(cmp.Compare(y.of, x.of), strings.Compare(string(x.cat), string(y.cat)))
	})
	return out
}

type catShare struct {
	cat Category
	of  float64
}

// String is the account in one line: "lost 52 % = idle: lock 38 + cpu:
// sched 9 + …", each part in points of the ideal throughput.
func (a Account) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "lost %s of %d× n = 1 (idle %s, CPU/op %+.0f %%)", pct(a.Lost), a.M, pct(a.Idle), 100*(a.Growth-1))
	sep := ": "
	for _, s := range a.Parts {
		if v := 100 * s.Of; v >= 0.5 || v <= -0.5 {
			fmt.Fprintf(&b, "%s%s %.0f", sep, s.Part, v)
			sep = ", "
		}
	}
	return b.String()
}
