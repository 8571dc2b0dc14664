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
	scenarios.Mistakes.String():        "“Spawning more processes than your CPU can handle” is a mistake.",
}

func claimOf(section string) string {
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
	// shows I/O waits overlapping.
	overlapSpeedup = 2
)

// verdict says what r shows about its section's claim, and why in numbers.
// The rules are by kind: a CPU run supports parallelism when it keeps
// scalingShare of the usable cores busy; an IO run supports overlapping
// waits when it uses at most idleParallelism cores and beats the serial
// baseline by overlapSpeedup; a Sync run shows contention in seconds of
// waiting. A process pool's children are other processes, whose CPU the
// parent's profile cannot see: its verdict rests on wall time alone.
func verdict(r *Row) (string, string) {
	run := r.Run
	n := run.Procs
	p := r.CPU.Parallelism
	usable := n
	if c := run.Machine.Cores; c > 0 {
		usable = min(n, c)
	}
	switch {
	case run.Section == scenarios.ProcessPool.String():
		note := fmt.Sprintf("the children's CPU is not in the parent's profile (effective parallelism %.2f here counts the parent only)", p)
		switch {
		case n == 1:
			return "baseline", note
		case r.SpeedupN1 >= scalingShare*float64(usable):
			return "supports", fmt.Sprintf("wall-time speed-up %.2f× at n=%d; %s", r.SpeedupN1, n, note)
		case r.SpeedupN1 > 0:
			return "contradicts", fmt.Sprintf("wall-time speed-up only %.2f× at n=%d; %s", r.SpeedupN1, n, note)
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
			what := "contradicts"
			why := fmt.Sprintf("%.2f of %d usable cores busy in one process of goroutines: no GIL, no processes needed", p, usable)
			switch run.Section {
			case scenarios.Executor.String():
				what = "supports"
				why = fmt.Sprintf("the high-level interface kept %.2f of %d usable cores busy", p, usable)
			case scenarios.Mistakes.String():
				why = fmt.Sprintf("%d goroutines on %d Ps still kept %.2f of %d usable cores busy: oversubscribing goroutines is cheap", workers, n, p, usable)
			}
			return what, why
		default:
			return "no evidence", fmt.Sprintf("only %.2f of %d usable cores busy (efficiency %s)", p, usable, fmtPct(r.Efficiency))
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
		both := fmt.Sprintf("mutex wait %s, blocked %s, %.2f cores busy", fmtWait(r.Mutex), fmtWait(r.Block), p)
		if run.MaxConcurrent > 0 {
			limit := ""
			if run.Config.Limit > 0 {
				limit = fmt.Sprintf(" (limit %d)", run.Config.Limit)
			}
			both = fmt.Sprintf("at most %d holders at once%s; %s", run.MaxConcurrent, limit, both)
		}
		switch {
		case r.Mutex != nil && r.Mutex.Seconds > 0:
			return "supports", fmt.Sprintf("goroutines queued %s a round for a lock in %d contentions, one holder at a time (%s)", fmtSeconds(r.Mutex.Seconds), r.Mutex.Events, both)
		case run.Section != scenarios.Lock.String() && r.Block != nil && r.Block.Seconds > 0:
			return "supports", fmt.Sprintf("goroutines waited %s a round in %d blocking events (%s)", fmtSeconds(r.Block.Seconds), r.Block.Events, both)
		case run.Section == scenarios.Lock.String():
			return "no evidence", "no goroutine waited for a mutex: this version shares no lock (" + both + ")"
		}
		return "no evidence", "nothing was contended (" + both + ")"
	}
	return "no evidence", fmt.Sprintf("effective parallelism %.2f", p)
}
