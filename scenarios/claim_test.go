package scenarios_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/conclab/conclab/scenarios"
)

func TestFields(t *testing.T) {
	assert.Equal(t, "-workers, -items and -work", (scenarios.Workers | scenarios.Items | scenarios.Work).String())
	assert.Equal(t, "-latency", scenarios.Latency.String())
	assert.Equal(t, "no field", scenarios.Fields(0).String())
	assert.Equal(t, []string{"limit", "backend"}, (scenarios.Limit | scenarios.Backend).Names())
	f, ok := scenarios.FieldsNamed("limit")
	assert.True(t, ok)
	assert.Equal(t, scenarios.Limit, f)
	_, ok = scenarios.FieldsNamed("cpu")
	assert.False(t, ok, "-cpu sizes no Config field")
}

// Register refuses a scenario whose declared facts are missing or
// contradict each other; the well-formed one is the positive control.
func TestRegisterChecksTheDeclaredFacts(t *testing.T) {
	run := func(context.Context, scenarios.Config) (scenarios.Result, error) { return scenarios.Result{}, nil }
	valid := func(name string) scenarios.Scenario {
		return scenarios.Scenario{
			Name: name, Section: scenarios.Mistakes, Kind: scenarios.IO, Python: "pass", Doc: "a test",
			Defaults: scenarios.Config{Items: 1, Latency: time.Millisecond},
			Run:      run, Serial: run,
			Check:  func(scenarios.Config, scenarios.Result) error { return nil },
			Claim:  scenarios.Claim{Article: "waits overlap", Test: scenarios.Overlap, Expect: scenarios.Supports, Go: "Go: they do"},
			Reads:  scenarios.Items | scenarios.Latency,
			Timing: &scenarios.Timing{Run: func(c scenarios.Config) time.Duration { return c.Latency }},
		}
	}
	for _, tc := range []struct {
		name   string
		change func(s *scenarios.Scenario)
		panic  string
	}{
		{"no-claim", func(s *scenarios.Scenario) { s.Claim = scenarios.Claim{} }, "the claim needs an Article, a Go, a Test and an Expect"},
		{"no-reads", func(s *scenarios.Scenario) { s.Reads = 0 }, "no field in Reads: a scenario reads some field of Config"},
		{"defaults-outside-reads", func(s *scenarios.Scenario) { s.Defaults.Workers = 4 },
			"defaults set -workers, which the scenario does not read (Reads: -items and -latency)"},
		{"io-without-timing", func(s *scenarios.Scenario) { s.Timing = nil }, "an IO scenario states its Timing"},
		{"timing-without-latency", func(s *scenarios.Scenario) {
			s.Kind, s.Reads, s.Defaults.Latency = scenarios.CPU, scenarios.Items, 0
		}, "a Timing claim needs a scenario that reads -latency"},
		{"bounded-without-limit", func(s *scenarios.Scenario) { s.Claim.Test = scenarios.Bounded }, "a Bounded claim needs a scenario that reads -limit"},
		{"overlap-without-serial", func(s *scenarios.Scenario) { s.Serial = nil }, "an Overlap claim needs a Serial baseline to beat"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := valid("facts-" + tc.name)
			tc.change(&s)
			assert.PanicsWithValue(t, `scenarios: Register("facts-`+tc.name+`"): `+tc.panic, func() { scenarios.Register(s) })
			_, err := scenarios.Lookup(s.Name)
			assert.Error(t, err, "a refused scenario is not registered")
		})
	}
	t.Run("well-formed", func(t *testing.T) {
		assert.NotPanics(t, func() { scenarios.Register(valid("facts-well-formed")) })
	})
}
