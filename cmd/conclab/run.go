package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"
	"time"

	"github.com/conclab/conclab/scenarios"
)

const runDoc = `Run one scenario of the catalogue with its defaults, or with the sizes
given by flags, then check its invariant. The result's summary is followed by
two machine-readable lines:

	wall: <Go duration>
	invariant: ok            (or "invariant: FAILED: <why>", exit status 1)

Each scenario reads only the flags that mean something to it, and run refuses
the others (exit status 2); 'conclab list -v' says which each one reads.`

// lookupScenario is scenarios.Lookup; tests replace it to reach the paths
// that no catalogue scenario takes, such as a failed invariant.
var lookupScenario = scenarios.Lookup

// maxCPU bounds -cpu: more Ps than this is a typo, not an experiment.
const maxCPU = 1024

// configFlags binds the flags that size a scenario's Config.
type configFlags struct {
	workers, items, work, limit int
	latency                     time.Duration
	backend                     string
}

func (c *configFlags) register(fs *flag.FlagSet) {
	fs.IntVar(&c.workers, "workers", 0, "goroutines or processes doing the work (default: the scenario's)")
	fs.IntVar(&c.items, "items", 0, "units of work: files, tasks, numbers, increments per worker (default: the scenario's)")
	fs.DurationVar(&c.latency, "latency", 0, "simulated wait of one I/O operation, e.g. 200ms (default: the scenario's)")
	fs.IntVar(&c.work, "work", 0, "kernel iterations per item of CPU work (default: the scenario's)")
	fs.IntVar(&c.limit, "limit", 0, "second bound: semaphore permits, queue capacity, gather limit (default: the scenario's)")
	fs.StringVar(&c.backend, "backend", "", `IO back-end, "http" (loopback server) or "memory" (default: the scenario's)`)
}

// apply returns base with the flags that were set on the command line, each
// checked: sizes given by hand must be at least 1.
func (c *configFlags) apply(fs *flag.FlagSet, base scenarios.Config) (scenarios.Config, error) {
	set := setFlags(fs)
	cfg := base
	for _, f := range []struct {
		name string
		v    int
		max  int
		dst  *int
	}{
		{"workers", c.workers, scenarios.MaxWorkers, &cfg.Workers},
		{"items", c.items, scenarios.MaxItems, &cfg.Items},
		{"work", c.work, scenarios.MaxWork, &cfg.Work},
		{"limit", c.limit, scenarios.MaxLimit, &cfg.Limit},
	} {
		if !set[f.name] {
			continue
		}
		if f.v < 1 || f.v > f.max {
			return cfg, usageErrorf("-%s %d: must be between 1 and %d", f.name, f.v, f.max)
		}
		*f.dst = f.v
	}
	if set["latency"] {
		cfg.Latency = c.latency
	}
	if set["backend"] {
		cfg.Backend = c.backend
	}
	if err := cfg.Validate(); err != nil {
		return cfg, usageErrorf("-%v", err)
	}
	return cfg, nil
}

// refuseUnread fails when a flag that sizes a Config was set for a
// scenario that does not read its field: a flag that would change nothing
// is a mistake the user should hear about.
func refuseUnread(fs *flag.FlagSet, s *scenarios.Scenario) error {
	var unread scenarios.Fields
	for name := range setFlags(fs) {
		if f, ok := scenarios.FieldsNamed(name); ok && s.Reads&f == 0 {
			unread |= f
		}
	}
	if unread == 0 {
		return nil
	}
	verb := "does"
	if len(unread.Names()) > 1 {
		verb = "do"
	}
	return usageErrorf("%s %s not apply to %s, which reads only %v", unread, verb, s.Name, s.Reads)
}

func runRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("run", "NAME [flags]", runDoc, stdout)
	var cf configFlags
	cf.register(fs)
	cpu := fs.Int("cpu", 0, "GOMAXPROCS for the run (default: unchanged, "+fmt.Sprint(runtime.GOMAXPROCS(0))+" here)")
	serial := fs.Bool("serial", false, "run the scenario's serial baseline instead: the same work, no concurrency")
	timeout := fs.Duration("timeout", 0, "give up after this long (default: no limit)")
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(rest) == 0:
		return usageErrorf("missing scenario name (see 'conclab list')")
	case len(rest) > 1:
		return usageErrorf("unexpected argument %q after scenario %q", rest[1], rest[0])
	}
	s, err := lookupScenario(rest[0])
	if err != nil {
		return usageErrorf("%v", err)
	}
	if err := refuseUnread(fs, s); err != nil {
		return err
	}
	cfg, err := cf.apply(fs, s.Defaults)
	if err != nil {
		return err
	}
	if err := s.CheckResources(cfg); err != nil {
		return usageErrorf("-%v", err)
	}
	set := setFlags(fs)
	if set["cpu"] {
		if *cpu < 1 || *cpu > maxCPU {
			return usageErrorf("-cpu %d: must be between 1 and %d", *cpu, maxCPU)
		}
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(*cpu))
	}
	if *timeout < 0 {
		return usageErrorf("-timeout %v: must not be negative", *timeout)
	}
	interrupted := ctx
	if *timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *timeout)
		defer cancel()
	}
	run := s.Run
	if *serial {
		if s.Serial == nil {
			return usageErrorf("-serial: scenario %q has no serial baseline", s.Name)
		}
		run = s.Serial
	}

	start := time.Now()
	res, err := run(ctx, cfg)
	wall := time.Since(start)
	if err != nil {
		if interrupted.Err() != nil {
			// Ctrl-C: 128 + SIGINT, as a shell reports it and as profile does.
			return &exitError{130, fmt.Errorf("%s: interrupted after %v", s.Name, wall.Round(time.Millisecond))}
		}
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("%s: stopped after %v: %w", s.Name, wall.Round(time.Millisecond), err)
		}
		return fmt.Errorf("%s: %w", s.Name, err)
	}
	fmt.Fprintf(stdout, "%s: %s\n", s.Name, res.Summary)
	fmt.Fprintf(stdout, "wall: %v\n", wall)
	if err := s.Check(cfg, res); err != nil {
		fmt.Fprintf(stdout, "invariant: FAILED: %s\n", oneLine(err.Error()))
		return &exitError{1, fmt.Errorf("%s: invariant failed: %w", s.Name, err)}
	}
	fmt.Fprintln(stdout, "invariant: ok")
	return nil
}
