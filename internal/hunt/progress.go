package hunt

// What a hunt says of itself: the progress line while it runs, and its
// summary when it is over.

import (
	"context"
	"fmt"
	"time"
)

// progress prints a line on cfg.Progress every few seconds until stopped.
func (h *hunter) progress(ctx context.Context) (stop func()) {
	if h.cfg.Progress == nil {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(5 * time.Second)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				h.mu.Lock()
				fmt.Fprintln(h.cfg.Progress, h.progressLine())
				h.mu.Unlock()
			}
		}
	}()
	return func() { cancel(); <-done }
}

// summary sums the hunt up; cancelled says the caller stopped it (Ctrl-C),
// stopped that it or the -time budget did.
func (h *hunter) summary(cancelled, stopped bool) *Summary {
	h.mu.Lock()
	defer h.mu.Unlock()
	elapsed := time.Since(h.start)
	s := &Summary{Runs: h.runs, Seconds: elapsed.Seconds(), NotBuilt: h.notBuilt}
	s.Interrupted = len(h.notBuilt) > 0
	for _, t := range h.tests {
		r := TestResult{Package: t.target.pkg.ImportPath, Test: t.name, Runs: t.completed, Slow: t.slow, Seconds: t.last.Seconds()}
		if n := len(t.findings); n > 0 {
			r.Finding, r.Also = t.findings[0], t.findings[1:]
			s.Findings += n
		}
		if t.completed == 0 && len(t.findings) == 0 && !t.slow {
			r.NotRun = true
			s.NotRun++
		}
		switch {
		case h.cfg.Runs > 0 && !t.done() && t.completed < h.cfg.Runs, r.NotRun:
			s.Interrupted = s.Interrupted || stopped
		case h.cfg.Runs == 0 && cancelled && h.wants(t, elapsed):
			s.Interrupted = true // Ctrl-C before the budget was spent
		}
		s.Tests = append(s.Tests, r)
	}
	return s
}

// progressLine sums up a hunt under way: the tests finished and those with
// a run behind them (a test is finished only at the end of its budget, so
// the first count alone stays at zero for long), the runs, the findings and
// the time, against the -time budget or the default one (schedule.go).
func (h *hunter) progressLine() string {
	found, finished, started := 0, 0, 0
	elapsed := time.Since(h.start)
	for _, t := range h.tests {
		found += len(t.findings)
		switch {
		case t.done() || t.slow || h.cfg.Runs > 0 && t.completed >= h.cfg.Runs,
			h.cfg.Runs == 0 && t.inflight == 0 && !h.wants(t, elapsed):
			finished++
		case t.completed > 0 || len(t.findings) > 0:
			started++
		}
	}
	clock := elapsed.Round(time.Second).String()
	switch {
	case h.cfg.Time > 0:
		deadline := h.deadline
		if deadline.IsZero() {
			deadline = h.start.Add(h.cfg.Time)
		}
		left := time.Until(deadline)
		clock = fmt.Sprintf("%s of %s, %s left", (h.cfg.Time - left).Round(time.Second), h.cfg.Time, max(left, 0).Round(time.Second))
	case h.cfg.Runs == 0:
		b := h.budget()
		clock = fmt.Sprintf("%s of a %s budget, %s left", clock, b.Round(time.Second), max(b-elapsed, 0).Round(time.Second))
	}
	return fmt.Sprintf("hunt: %d/%d tests done, %d more run at least once, %d run%s, %d finding%s, %s",
		finished, len(h.tests), started, h.runs, plural(h.runs), found, plural(found), clock)
}
