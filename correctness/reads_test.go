package correctness

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/scenarios"
)

// Scenario.Reads is what `conclab run` trusts to refuse a flag. These
// tests hold each scenario to it: changing a field it does not read
// changes nothing of its result, nor its duration in virtual time.

// unreadValues are the values the fields are changed to; each is valid for
// every scenario and differs from every default.
var unreadValues = scenarios.Config{Workers: 3, Items: 5, Latency: 3 * time.Millisecond, Work: 5, Limit: 2, Backend: scenarios.BackendMemory}

// outcome is what a run shows of the fields it read.
type outcome struct {
	items   int
	total   int64
	elapsed time.Duration
}

// firstUnreadFieldThatMatters runs s with cfg, then once per field s does
// not declare it reads, with that field changed, and returns the first
// field whose change changed the outcome (and nil if none did).
func firstUnreadFieldThatMatters(t *testing.T, s *scenarios.Scenario, cfg scenarios.Config) error {
	t.Helper()
	base := outcomeOf(t, s, cfg)
	for _, name := range (^s.Reads).Names() {
		changed := cfg
		switch name {
		case "workers":
			changed.Workers = unreadValues.Workers
		case "items":
			changed.Items = unreadValues.Items
		case "latency":
			changed.Latency = unreadValues.Latency
		case "work":
			changed.Work = unreadValues.Work
		case "limit":
			changed.Limit = unreadValues.Limit
		case "backend":
			changed.Backend = unreadValues.Backend
		}
		if got := outcomeOf(t, s, changed); got != base {
			return fmt.Errorf("-%s changed the outcome from %+v to %+v, but %s declares it reads only %v", name, base, got, s.Name, s.Reads)
		}
	}
	return nil
}

func outcomeOf(t *testing.T, s *scenarios.Scenario, cfg scenarios.Config) outcome {
	t.Helper()
	r := runScenario(t, s, s.Run, cfg, nil)
	require.NoError(t, r.err)
	o := outcome{items: r.res.Items, total: r.res.Total}
	if !s.Processes {
		o.elapsed = r.elapsed // virtual, and so exact
	}
	return o
}

func TestScenariosReadOnlyWhatTheyDeclare(t *testing.T) {
	for _, s := range scenarios.All() {
		t.Run(s.Name, func(t *testing.T) {
			cfg := tableConfig(s, 2, smallItems)
			assert.NoError(t, firstUnreadFieldThatMatters(t, s, cfg))
		})
	}
}

// The negative control: a scenario that waits Latency but does not
// declare that it reads it.
func TestUndeclaredReadIsCaught(t *testing.T) {
	sneaky := &scenarios.Scenario{
		Name:  "sneaky",
		Reads: scenarios.Items,
		Run: func(ctx context.Context, cfg scenarios.Config) (scenarios.Result, error) {
			return scenarios.Result{Items: cfg.Items}, scenarios.Sleep(ctx, cfg.Latency)
		},
	}
	err := firstUnreadFieldThatMatters(t, sneaky, scenarios.Config{Items: 2, Latency: time.Millisecond})
	assert.ErrorContains(t, err, "-latency changed the outcome")
}
