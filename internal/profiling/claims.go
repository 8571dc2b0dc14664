package profiling

import (
	"fmt"
	"time"

	"github.com/conclab/conclab/internal/verdict"
	"github.com/conclab/conclab/scenarios"
)

// claimOf returns the article's sentence that the scenario called name
// tests, as the scenario declares it.
func claimOf(name string) string {
	if s, err := scenarios.Lookup(name); err == nil {
		return s.Claim.Article
	}
	return "(scenario not in this build: no claim to judge)"
}

// The thresholds of the report's tests (see scenarios.Test).
const (
	// scalingShare is the share of the usable cores (min(n, cores)) a
	// Parallel run must keep busy.
	scalingShare = 0.75
	// idleParallelism is the most cores an Overlap or Idle run may keep
	// busy and still count as "waiting costs no CPU".
	idleParallelism = 0.2
	// overlapSpeedup is the least speed-up over the serial baseline that
	// shows I/O waits overlapping: with k waits in flight at once it is
	// about k, so 1.5 is clearly more than one wait at a time, whatever
	// the scenario's limit.
	overlapSpeedup = 1.5
	// overlapPaths is the most critical paths (the time the waits take
	// when they all overlap as the scenario claims) a round of an Overlap
	// scenario may take: twice is slow, but nothing like one wait after
	// another.
	overlapPaths = 2
	// waitShare is the least share of a round a mutex or block wait must
	// reach to count: the runtime's own locks leave nanoseconds of noise.
	waitShare = 0.01
)

// samplePeriod is the CPU profiler's sampling period (100 Hz): a profile
// with no sample bounds the CPU used by one period over its duration.
const samplePeriod = 10 * time.Millisecond

// The report's verdicts: the outcomes of package verdict, and "baseline"
// for the n = 1 row of a Parallel claim, which is what the others are
// compared with.
const (
	verdictBaseline = "baseline"
)

// judge says what row r shows about the claim its scenario declares
// (Scenario.Claim), and why: the verdict ("yes", "no", "inconclusive" or
// "baseline") and the evidence, which starts with what the verdict means
// for Go. Each recording is one measurement of each quantity (an aggregate
// of its rounds and profile samples), judged by package verdict with
// MinSamples 1; a recording made while other programs kept the machine
// busy is inconclusive, never "no". Exact facts (a peak count of holders,
// a checked result) do not depend on the load and are judged whatever it.
func judge(r *Row) (string, string) {
	run := r.Run
	s, err := scenarios.Lookup(run.Scenario)
	if err != nil {
		return verdict.Inconclusive.String(), "scenario not in this build: no claim to judge"
	}
	c := s.Claim
	load := loadOf(run)
	n := run.Procs
	usable := n
	if cores := run.Machine.Cores; cores > 0 {
		usable = min(n, cores)
	}
	// one is a single measurement; none recorded (zero) is no measurement.
	one := func(x float64) []float64 {
		if x <= 0 {
			return nil
		}
		return []float64{x}
	}
	measured := func(text string, threshold float64, below bool, unit string) verdict.Claim {
		return verdict.Claim{Text: text, Threshold: threshold, Below: below, Unit: unit, MinSamples: 1,
			Yes: c.Go, No: "refuted: Go did not show that " + text}
	}
	idle := func() verdict.Verdict {
		// A profile with no sample is a measurement too: less than one
		// sample's worth of CPU over the recording's wall time.
		busy := r.CPU.Parallelism
		if busy == 0 && r.CPU.WallSeconds > 0 {
			busy = samplePeriod.Seconds() / r.CPU.WallSeconds
		}
		return verdict.Judge(measured("waiting costs almost no CPU", idleParallelism, true, " cores busy"), one(busy), one(1), load)
	}
	var v verdict.Verdict
	intervals := func() string { return v.Interval() }
	switch c.Test {
	case scenarios.Parallel:
		cores, what := r.CPU.Parallelism+r.ChildParallelism, " cores busy"
		if s.Processes && r.ChildParallelism == 0 {
			// The workers' CPU is not in the parent's profile, and getrusage
			// could not count it: the wall-time speed-up is all there is.
			cores, what = r.SpeedupN1, "× over n=1 (the workers' CPU is not in the profile)"
		}
		if n == 1 {
			return verdictBaseline, fmt.Sprintf("%s cores busy at GOMAXPROCS=1: what n > 1 is compared with", fmtParallelism(r))
		}
		v = verdict.Judge(measured(fmt.Sprintf("%.0f%% of %d usable cores busy", 100*scalingShare, usable), scalingShare*float64(usable), false, what),
			one(cores), one(1), load)
	case scenarios.Overlap:
		// The waits overlap when a round takes about its critical path
		// (the scenario's Timing): within overlapPaths of it. A recording
		// older than that measure is judged on its speed-up over serial.
		over := verdict.Judge(measured("the waits overlap", overlapPaths, true, " critical paths"), one(r.OverPath), one(1), load)
		if r.OverPath == 0 {
			over = verdict.Judge(measured("the waits overlap", overlapSpeedup, false, "× over serial"), one(r.SpeedupSerial), one(1), load)
		}
		busy := idle()
		v = both(over, busy)
		intervals = func() string { return over.Interval() + ", " + busy.Interval() }
	case scenarios.Idle:
		v = idle()
	case scenarios.Bounded:
		if run.MaxConcurrent == 0 || run.Config.Limit == 0 {
			return verdict.Inconclusive.String(), "no peak of holders recorded"
		}
		v = verdict.Judge(measured(fmt.Sprintf("at most %d holders at once", run.Config.Limit), float64(run.Config.Limit), true, " holders"),
			one(float64(run.MaxConcurrent)), one(1), verdict.Load{})
	case scenarios.Contended, scenarios.Waited:
		w := r.Mutex
		what := "goroutines queued for a lock"
		if c.Test == scenarios.Waited && (w == nil || r.Block != nil && r.Block.Seconds > w.Seconds) {
			w, what = r.Block, "goroutines waited"
		}
		secs := 0.0
		if w != nil {
			secs = w.Seconds
		}
		claim := measured(fmt.Sprintf("%s ≥ %.0f%% of a round", what, 100*waitShare), waitShare, false, " of a round")
		claim.ShowOnly = true
		v = verdict.Judge(claim, []float64{max(secs, 1e-12)}, one(run.RoundSeconds()), load)
	case scenarios.Checked:
		v = verdict.Judge(measured("the invariant held", 1, false, ""), one(1), one(1), verdict.Load{})
		intervals = func() string { return "the invariant held in the rounds checked (a recording stops at a wrong result)" }
	}
	evidence := v.Meaning()
	if v.Outcome == verdict.Yes && c.Expect == scenarios.Contradicts {
		evidence += " (the article's reasoning does not carry over to Go: expected, not a failure)"
	}
	return v.Outcome.String(), fmt.Sprintf("%s — %s; %s", evidence, intervals(), figures(r))
}

// both is the verdict of two conditions that must both hold: no if either
// is refuted, yes if both hold, inconclusive otherwise (with the first
// reason).
func both(a, b verdict.Verdict) verdict.Verdict {
	switch {
	case a.Outcome == verdict.No:
		return a
	case b.Outcome == verdict.No:
		return b
	case a.Outcome == verdict.Inconclusive:
		return a
	}
	return b
}

// figures are the row's numbers behind every verdict.
func figures(r *Row) string {
	return fmt.Sprintf("%s cores busy, efficiency %s, ×serial %s, mutex wait %s, blocked %s a round%s",
		fmtParallelism(r), fmtPct(r.Efficiency), fmtX(r.SpeedupSerial), fmtWait(r.Mutex), fmtWait(r.Block), loadNote(r.Run))
}

// loadOf is the load other programs put on the machine during run: the
// cores they kept busy, measured during the recording (Run.OtherCores);
// for a recording older than that measurement, a one-minute load average
// above the machine's cores, whose excess is taken for other programs.
func loadOf(run *Run) verdict.Load {
	wall := time.Duration(run.WallSeconds * float64(time.Second))
	if o := run.OtherCores; o != nil {
		return verdict.Load{Other: time.Duration(*o * float64(wall)), Wall: wall, Known: true}
	}
	cores := float64(run.Machine.Cores)
	if cores == 0 || run.LoadAverage == 0 {
		return verdict.Load{}
	}
	other := max(0, run.LoadAverage-cores)
	return verdict.Load{Other: time.Duration(other * float64(wall)), Wall: wall, Known: true}
}

// loadNote says when other programs competed for the cores during run.
func loadNote(run *Run) string {
	if l := loadOf(run); l.Busy() {
		if run.OtherCores != nil {
			return fmt.Sprintf(", while other programs kept %.2f cores busy", *run.OtherCores)
		}
		return fmt.Sprintf(", while the machine's load average was %.1f on %d cores: other programs took the rest", run.LoadAverage, run.Machine.Cores)
	}
	return ""
}

// plural writes n things: "1 contention", "4 contentions".
func plural(n int64, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
