package profiling

import (
	"fmt"

	"github.com/conclab/conclab/scenarios"
)

// claims holds, for each section of the article, the sentence of the
// article that a recording of the section's scenarios can test.
var claims = map[string]string{
	scenarios.Threading.String():       "“Threading is great for I/O-bound tasks”: waits overlap, and waiting costs no CPU.",
	scenarios.AsyncIO.String():         "AsyncIO is “perfect for applications that need to handle many I/O operations without blocking”.",
	scenarios.Multiprocessing.String(): "“Due to the GIL, threads cannot achieve true parallelism for CPU-heavy tasks”: Pool.map needs processes to use the cores.",
	scenarios.ProcessPerCore.String():  "One process per core, “each running independently on a different CPU core”: threads could not, because of the GIL.",
	scenarios.Lock.String():            "A Lock “ensures only one thread accesses a resource at a time”.",
	scenarios.Semaphore.String():       "A Semaphore “allows a limited number of threads to access a resource”.",
	scenarios.Condition.String():       "A Condition lets “threads wait for certain conditions before proceeding”.",
	scenarios.Executor.String():        "“Use concurrent.futures for a unified, high-level interface”.",
	scenarios.ProcessPool.String():     "“You can also use ProcessPoolExecutor for CPU-bound tasks.”",
	scenarios.Queues.String():          "“Protect shared data using locks, queues, or synchronization mechanisms.”",
	scenarios.Mistakes.String():        "“Using multiprocessing for I/O tasks wastes memory and CPU”: waiting should cost neither.",
}

// scenarioClaims overrides the section's claim for scenarios that test
// another sentence of the same section.
var scenarioClaims = map[string]string{
	"oversubscribe":  "“Spawning more processes than your CPU can handle” is a mistake.",
	"forgotten-join": "“The join() method is used to ensure that the main program waits for all processes to complete before exiting.”",
}

func claimOf(scenario, section string) string {
	if c, ok := scenarioClaims[scenario]; ok {
		return c
	}
	if c, ok := claims[section]; ok {
		return c
	}
	return "(no claim of the article recorded for this section)"
}

// The thresholds of the verdicts.
const (
	// scalingShare is the share of the usable cores (min(n, cores)) a CPU
	// run must keep busy to count as parallel.
	scalingShare = 0.75
	// idleParallelism is the most effective parallelism an I/O run may use
	// and still count as "waiting costs no CPU".
	idleParallelism = 0.2
	// overlapSpeedup is the least speed-up over the serial baseline that
	// shows I/O waits overlapping: with k waits in flight at once it is
	// about k, so 1.5 is clearly more than one wait at a time, whatever the
	// scenario's limit.
	overlapSpeedup = 1.5
	// waitShare is the least share of a round's wall time a mutex or block
	// wait must reach to count as contention.
	waitShare = 0.01
)

// verdict says what r shows about its scenario's claim, and why in
// numbers. The rules are by kind. A CPU run is parallel when it keeps
// scalingShare of the usable cores (min(n, cores)) busy: that contradicts
// the article's "threads cannot, processes must" and "do not oversubscribe",
// and supports its other claims. An IO run supports overlapping waits when
// it uses at most idleParallelism cores and beats the serial baseline
// overlapSpeedup times. A Sync run supports its claim with waits of at
// least waitShare of the round (a semaphore with its peak of holders). A
// process pool's children are other processes, whose CPU the parent's
// profile cannot see: its verdict rests on the wall-time speed-up alone.
// Where the numbers fall short (a loaded machine, too little work) the
// verdict is "no evidence", never a guess.
func verdict(r *Row) (string, string) {
	run := r.Run
	n := run.Procs
	p := r.CPU.Parallelism
	usable := n
	if c := run.Machine.Cores; c > 0 {
		usable = min(n, c)
	}
	switch {
	case run.Section == scenarios.ProcessPool.String() && r.ChildParallelism > 0:
		note := fmt.Sprintf("the workers' CPU is not in the parent's profile (%.2f cores there); getrusage counts %.2f cores busy in the workers", p, r.ChildParallelism)
		total := p + r.ChildParallelism
		switch {
		case n == 1:
			return "baseline", note
		case total >= scalingShare*float64(usable):
			return "supports", fmt.Sprintf("%.2f of %d usable cores busy in all; %s", total, usable, note)
		}
		return "no evidence", fmt.Sprintf("only %.2f of %d usable cores busy in all%s; %s", total, usable, loadNote(run), note)
	case run.Section == scenarios.ProcessPool.String():
		note := fmt.Sprintf("the workers' CPU is not in the parent's profile (effective parallelism %.2f here counts the parent only)", p)
		switch {
		case n == 1:
			return "baseline", note
		case r.SpeedupN1 >= scalingShare*float64(usable):
			return "supports", fmt.Sprintf("wall-time speed-up %.2f× at n=%d; %s", r.SpeedupN1, n, note)
		case r.SpeedupN1 > 0:
			return "no evidence", fmt.Sprintf("wall-time speed-up only %.2f× at n=%d%s; %s", r.SpeedupN1, n, loadNote(run), note)
		}
		return "no evidence", note
	case run.Kind == scenarios.CPU.String():
		workers := run.Config.Workers
		if workers == 0 {
			workers = n
		}
		switch {
		case n == 1:
			return "baseline", fmt.Sprintf("%.2f cores busy at GOMAXPROCS=1", p)
		case p >= scalingShare*float64(usable):
			switch {
			case run.Section == scenarios.Mistakes.String() && workers > 4*n:
				return "contradicts", fmt.Sprintf("%d goroutines on %d Ps kept %.2f of %d usable cores busy: oversubscribing goroutines is cheap", workers, n, p, usable)
			case run.Section == scenarios.Multiprocessing.String() || run.Section == scenarios.ProcessPerCore.String():
				return "contradicts", fmt.Sprintf("%.2f of %d usable cores busy in one process of goroutines: no GIL, no processes needed", p, usable)
			}
			return "supports", fmt.Sprintf("%.2f of %d usable cores busy (efficiency %s)", p, usable, fmtPct(r.Efficiency))
		default:
			return "no evidence", fmt.Sprintf("only %.2f of %d usable cores busy (efficiency %s)%s", p, usable, fmtPct(r.Efficiency), loadNote(run))
		}
	case run.Kind == scenarios.IO.String():
		switch {
		case p > idleParallelism:
			return "contradicts", fmt.Sprintf("waiting kept %.2f cores busy", p)
		case r.SpeedupSerial > 0 && r.SpeedupSerial < overlapSpeedup:
			return "contradicts", fmt.Sprintf("only %.2f× faster than one wait after another", r.SpeedupSerial)
		case r.SpeedupSerial > 0:
			return "supports", fmt.Sprintf("waits overlap (%.1f× faster than serial) using %.2f cores", r.SpeedupSerial, p)
		}
		return "supports", fmt.Sprintf("waiting used %.2f cores", p)
	case run.Kind == scenarios.Sync.String():
		// A wait counts when it is at least waitShare of the round: the
		// runtime's own locks leave nanoseconds of noise in the profiles.
		round := run.RoundSeconds()
		counts := func(w *WaitStats) bool { return w != nil && w.Seconds > 0 && w.Seconds >= waitShare*round }
		both := fmt.Sprintf("mutex wait %s, blocked %s, %.2f cores busy", fmtWait(r.Mutex), fmtWait(r.Block), p)
		switch {
		case run.Section == scenarios.Semaphore.String() && run.MaxConcurrent > 0 && run.Config.Limit > 0:
			if run.MaxConcurrent <= run.Config.Limit {
				return "supports", fmt.Sprintf("at most %d holders at once with %d permits; %s", run.MaxConcurrent, run.Config.Limit, both)
			}
			return "contradicts", fmt.Sprintf("%d holders at once with only %d permits; %s", run.MaxConcurrent, run.Config.Limit, both)
		case counts(r.Mutex):
			return "supports", fmt.Sprintf("goroutines queued %s a round for a lock in %s, one holder at a time (%s)", fmtSeconds(r.Mutex.Seconds), plural(r.Mutex.Events, "contention"), both)
		case run.Section != scenarios.Lock.String() && counts(r.Block):
			return "supports", fmt.Sprintf("goroutines waited %s a round in %s (%s)", fmtSeconds(r.Block.Seconds), plural(r.Block.Events, "blocking event"), both)
		case run.Section == scenarios.Lock.String():
			return "no evidence", "no goroutine waited for a mutex (" + both + ")"
		}
		return "no evidence", "nothing was contended (" + both + ")"
	}
	return "no evidence", fmt.Sprintf("effective parallelism %.2f", p)
}

// plural writes n things: "1 contention", "4 contentions".
func plural(n int64, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// loadNote says when other programs competed for the cores during run:
// the CPU they used, where it was measured, else (for recordings older than
// that measurement) a load average above the machine's cores.
func loadNote(run *Run) string {
	if o := run.OtherCores; o != nil {
		if *o >= busyThreshold {
			return fmt.Sprintf(", while other programs kept %.2f cores busy", *o)
		}
		return ""
	}
	if run.Machine.Cores > 0 && run.LoadAverage > float64(run.Machine.Cores) {
		return fmt.Sprintf(", while the machine's load average was %.1f on %d cores: other programs took the rest", run.LoadAverage, run.Machine.Cores)
	}
	return ""
}
