// Package testscenario registers one more scenario, "test-wait", for
// tests only: a test package that imports it for its side effect
//
//	import _ "github.com/conclab/conclab/internal/testscenario"
//
// sees the catalogue grow by one scenario that no tool was told about, and
// so proves that the tool reads every fact from the registry, as the
// README promises a new pattern needs: one file and one Register call.
// No non-test code imports this package (a test of cmd/conclab checks it),
// so the shipped catalogue never holds it.
package testscenario

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/conclab/conclab/scenarios"
)

// Name is the registered scenario's name.
const Name = "test-wait"

// Python is the snippet the scenario stands for: Items threads waiting
// Latency each, all at once. The scenario reads Items and Latency; its
// invariant is that every wait completed once, with no more than Items in
// flight; Result.MaxConcurrent is the peak number of waits in flight.
const Python = `threads = [threading.Thread(target=time.sleep, args=(latency,)) for _ in range(items)]`

func init() {
	scenarios.Register(scenarios.Scenario{
		Name:     Name,
		Section:  scenarios.Threading,
		Python:   Python,
		Doc:      "a throwaway registered by tests only: one goroutine per item, each waiting Latency",
		Kind:     scenarios.IO,
		Defaults: scenarios.Config{Items: 3, Latency: 10 * time.Millisecond},
		Run:      run,
		Serial:   serial,
		Check:    check,
		Claim: scenarios.Claim{
			Article: "“Threading is great for I/O-bound tasks”: waits overlap, and waiting costs no CPU.",
			Test:    scenarios.Overlap,
			Expect:  scenarios.Supports,
			Go:      "Go: the throwaway's waits overlap",
		},
		Reads: scenarios.Items | scenarios.Latency,
		Timing: &scenarios.Timing{
			Run:    func(cfg scenarios.Config) time.Duration { return cfg.Latency },
			Serial: func(cfg scenarios.Config) time.Duration { return time.Duration(cfg.Items) * cfg.Latency },
			Peak:   func(cfg scenarios.Config) int { return cfg.Items },
		},
	})
}

// run starts one goroutine per item, each waiting Latency, and waits for
// them all; a cancelled ctx ends the waits and is returned.
func run(ctx context.Context, cfg scenarios.Config) (scenarios.Result, error) {
	var (
		mu             sync.Mutex
		done, in, peak int
		failed         error
		wg             sync.WaitGroup
	)
	for range cfg.Items {
		wg.Go(func() {
			mu.Lock()
			in++
			peak = max(peak, in)
			mu.Unlock()
			err := scenarios.Sleep(ctx, cfg.Latency)
			mu.Lock()
			defer mu.Unlock()
			in--
			if err != nil {
				failed = err
				return
			}
			done++
		})
	}
	wg.Wait()
	if failed != nil {
		return scenarios.Result{}, failed
	}
	if err := ctx.Err(); err != nil {
		return scenarios.Result{}, err
	}
	return scenarios.Result{Items: done, Total: int64(done), MaxConcurrent: peak,
		Summary: fmt.Sprintf("%d waits of %v, %d at once", done, cfg.Latency, peak)}, nil
}

// serial waits Latency Items times, one after the other.
func serial(ctx context.Context, cfg scenarios.Config) (scenarios.Result, error) {
	if err := ctx.Err(); err != nil {
		return scenarios.Result{}, err
	}
	for range cfg.Items {
		if err := scenarios.Sleep(ctx, cfg.Latency); err != nil {
			return scenarios.Result{}, err
		}
	}
	n := cfg.Items
	return scenarios.Result{Items: n, Total: int64(n), MaxConcurrent: min(n, 1),
		Summary: fmt.Sprintf("%d waits of %v, one after the other", n, cfg.Latency)}, nil
}

func check(cfg scenarios.Config, res scenarios.Result) error {
	switch {
	case res.Items != cfg.Items || res.Total != int64(cfg.Items):
		return fmt.Errorf("%d waits completed (total %d), want %d", res.Items, res.Total, cfg.Items)
	case res.MaxConcurrent > cfg.Items:
		return fmt.Errorf("%d waits in flight at once, more than the %d items", res.MaxConcurrent, cfg.Items)
	}
	return nil
}
