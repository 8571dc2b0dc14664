package scenarios

import (
	"context"
	"fmt"
	"runtime"
	"time"
)

// Limits of a [Config]. They keep a typo from asking for a million
// goroutines or an hour of work.
const (
	MaxWorkers = 10_000
	MaxItems   = 1 << 26
	MaxLatency = time.Minute
	MaxWork    = 1 << 30
	MaxLimit   = 10_000
)

// Backends of the IO scenarios.
const (
	// BackendHTTP serves each item from an httptest server on 127.0.0.1
	// that waits Latency before it answers.
	BackendHTTP = "http"
	// BackendMemory serves each item from memory after waiting Latency on a
	// timer, so that a testing/synctest bubble can run it in virtual time.
	BackendMemory = "memory"
)

// Config sizes one run of a scenario. Each scenario documents which fields
// it reads; the others are ignored. The zero value is not valid: start from
// a scenario's Defaults.
type Config struct {
	// Workers is the number of goroutines (or processes) doing the work,
	// from 1 to MaxWorkers; 0 means runtime.GOMAXPROCS(0) at the time of
	// the run (see WorkerCount).
	Workers int
	// Items is the number of units of work (files, tasks, numbers,
	// increments per worker), from 0 to MaxItems.
	Items int
	// Latency is the simulated wait of one I/O operation, from 0 to MaxLatency.
	Latency time.Duration
	// Work is the CPU work in one item: iterations of the kernel, from 0 to
	// MaxWork.
	Work int
	// Limit bounds concurrency where a scenario has a second bound besides
	// Workers: semaphore permits, queue capacity, gather's SetLimit. From 1
	// to MaxLimit where used; 0 where not.
	Limit int
	// Backend selects the IO back-end, BackendHTTP or BackendMemory; empty
	// where not used.
	Backend string
}

// ConfigError reports a field of a [Config] outside its allowed range. Its
// message names the value and what is allowed, e.g.
// "workers 0: must be between 1 and 10000".
type ConfigError struct {
	Field  string // the flag's name: "workers", "items", "latency", ...
	Value  any
	Reason string
}

func (e *ConfigError) Error() string {
	if s, ok := e.Value.(string); ok {
		return fmt.Sprintf("%s %q: %s", e.Field, s, e.Reason)
	}
	return fmt.Sprintf("%s %v: %s", e.Field, e.Value, e.Reason)
}

// Validate returns a *ConfigError for the first field out of range, or nil.
func (c Config) Validate() error {
	between := func(field string, v, lo, hi int) error {
		if v < lo || v > hi {
			return &ConfigError{field, v, fmt.Sprintf("must be between %d and %d", lo, hi)}
		}
		return nil
	}
	if err := between("workers", c.Workers, 0, MaxWorkers); err != nil {
		return err
	}
	if err := between("items", c.Items, 0, MaxItems); err != nil {
		return err
	}
	if c.Latency < 0 || c.Latency > MaxLatency {
		return &ConfigError{"latency", c.Latency, fmt.Sprintf("must be between 0s and %v", MaxLatency)}
	}
	if err := between("work", c.Work, 0, MaxWork); err != nil {
		return err
	}
	if err := between("limit", c.Limit, 0, MaxLimit); err != nil {
		return err
	}
	switch c.Backend {
	case "", BackendHTTP, BackendMemory:
	default:
		return &ConfigError{"backend", c.Backend, fmt.Sprintf("must be %q or %q", BackendHTTP, BackendMemory)}
	}
	return nil
}

// Sleep waits for d or until ctx is done, whichever comes first, and returns
// ctx.Err() in the second case. It is how scenarios simulate an I/O wait: in
// a testing/synctest bubble the wait is virtual and exact.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// WorkerCount returns Workers, or runtime.GOMAXPROCS(0) when Workers is 0,
// which scenarios documented as "default GOMAXPROCS" use as their default.
func (c Config) WorkerCount() int {
	if c.Workers == 0 {
		return runtime.GOMAXPROCS(0)
	}
	return c.Workers
}
