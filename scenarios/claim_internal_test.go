package scenarios

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// Register refuses a scenario whose declared facts are missing or
// contradict each other; the well-formed one is the positive control.
// checkFacts is called directly so that no test scenario joins the
// catalogue; the last case shows that Register calls it.
func TestRegisterChecksTheDeclaredFacts(t *testing.T) {
	run := func(context.Context, Config) (Result, error) { return Result{}, nil }
	valid := func() Scenario {
		return Scenario{
			Name: "facts", Section: Mistakes, Kind: IO, Python: "pass", Doc: "a test",
			Defaults: Config{Items: 1, Latency: time.Millisecond},
			Run:      run, Serial: run,
			Check:  func(Config, Result) error { return nil },
			Claim:  Claim{Article: "waits overlap", Test: Overlap, Expect: Supports, Go: "Go: they do"},
			Reads:  Items | Latency,
			Timing: &Timing{Run: func(c Config) time.Duration { return c.Latency }},
		}
	}
	for _, tc := range []struct {
		name   string
		change func(s *Scenario)
		want   string
	}{
		{"well-formed", func(*Scenario) {}, ""},
		{"no-claim", func(s *Scenario) { s.Claim = Claim{} }, "the claim needs an Article, a Go, a Test and an Expect"},
		{"no-reads", func(s *Scenario) { s.Reads = 0 }, "no field in Reads: a scenario reads some field of Config"},
		{"defaults-outside-reads", func(s *Scenario) { s.Defaults.Workers = 4 },
			"defaults set -workers, which the scenario does not read (Reads: -items and -latency)"},
		{"io-without-timing", func(s *Scenario) { s.Timing = nil }, "an IO scenario states its Timing"},
		{"timing-without-run", func(s *Scenario) { s.Timing = &Timing{} }, "the Timing needs a Run"},
		{"timing-without-latency", func(s *Scenario) { s.Kind, s.Reads, s.Defaults.Latency = CPU, Items, 0 },
			"a Timing claim needs a scenario that reads -latency"},
		{"bounded-without-limit", func(s *Scenario) { s.Claim.Test = Bounded }, "a Bounded claim needs a scenario that reads -limit"},
		{"overlap-without-serial", func(s *Scenario) { s.Serial = nil }, "an Overlap claim needs a Serial baseline to beat"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := valid()
			tc.change(&s)
			err := s.checkFacts()
			if tc.want == "" {
				assert.NoError(t, err)
				return
			}
			assert.EqualError(t, err, tc.want)
		})
	}
	t.Run("register-refuses", func(t *testing.T) {
		s := valid()
		s.Name, s.Reads = "facts-refused", 0
		assert.PanicsWithValue(t, `scenarios: Register("facts-refused"): no field in Reads: a scenario reads some field of Config`, func() { Register(s) })
		_, err := Lookup(s.Name)
		assert.Error(t, err, "a refused scenario is not registered")
	})
}
