package scenarios_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/scenarios"
)

// TestRegisterRefusesATakenName: a name is registered once, as a scenario
// or as a broken variant, never both; a variant that took its own
// scenario's name would shadow the scenario in LookupVariant. A refused
// registration changes nothing.
func TestRegisterRefusesATakenName(t *testing.T) {
	existing, err := scenarios.Lookup("counter-mutex")
	require.NoError(t, err)
	require.NotEmpty(t, existing.Broken, "counter-mutex has a broken variant to clash with")
	variant := func(name string) scenarios.Variant {
		return scenarios.Variant{Name: name, Fault: existing.Broken[0].Fault, Run: existing.Broken[0].Run}
	}
	fresh := func(name string, broken ...scenarios.Variant) scenarios.Scenario {
		s := *existing
		s.Name, s.Broken = name, broken
		return s
	}
	for _, tc := range []struct {
		name string
		s    scenarios.Scenario
		want string
	}{
		{"scenario-twice", fresh("counter-mutex"), `scenarios: Register("counter-mutex"): name already registered`},
		{"scenario-named-like-a-variant", fresh(existing.Broken[0].Name), `name already registered as a variant`},
		{"variant-named-like-its-scenario", fresh("register-test-self", variant("register-test-self")), `variant "register-test-self" takes a name already registered`},
		{"variant-named-like-a-scenario", fresh("register-test-other", variant("counter-atomic")), `variant "counter-atomic" takes a name already registered`},
		{"variant-named-like-a-variant", fresh("register-test-variant", variant(existing.Broken[0].Name)), `takes a name already registered`},
		{"two-variants-one-name", fresh("register-test-twice", variant("register-test-v"), variant("register-test-v")), `variant "register-test-v" takes a name already registered`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := scenarios.Names()
			defer func() {
				r := recover()
				require.NotNil(t, r, "Register accepted %s", tc.s.Name)
				assert.Contains(t, fmt.Sprint(r), tc.want)
				assert.Equal(t, before, scenarios.Names(), "a refused registration changes nothing")
				_, err := scenarios.Lookup(tc.s.Name)
				if tc.s.Name != "counter-mutex" {
					assert.Error(t, err, "%s is not registered", tc.s.Name)
				}
			}()
			scenarios.Register(tc.s)
		})
	}
}

func TestLookup(t *testing.T) {
	s, err := scenarios.Lookup("counter-mutex")
	require.NoError(t, err)
	assert.Equal(t, "counter-mutex", s.Name)

	_, err = scenarios.Lookup("counter-mutx")
	assert.EqualError(t, err, `unknown scenario "counter-mutx" (did you mean "counter-mutex"?)`)

	_, err = scenarios.Lookup("zzzzzzzzzzzzzzzzzzzz")
	assert.EqualError(t, err, "unknown scenario \"zzzzzzzzzzzzzzzzzzzz\" (see `conclab list`)")

	_, _, err = scenarios.LookupVariant("counter-mutex")
	assert.Error(t, err, "a scenario is not a broken variant")
}

func TestConfigValidate(t *testing.T) {
	ok := scenarios.Config{Workers: 1, Items: 1}
	for _, tc := range []struct {
		name string
		edit func(*scenarios.Config)
		want string
	}{
		{"valid", func(*scenarios.Config) {}, ""},
		{"workers=0 means GOMAXPROCS", func(c *scenarios.Config) { c.Workers = 0 }, ""},
		{"workers=-1", func(c *scenarios.Config) { c.Workers = -1 }, "workers -1: must be between 0 and 10000"},
		{"workers=too many", func(c *scenarios.Config) { c.Workers = scenarios.MaxWorkers + 1 }, "workers 10001: must be between 0 and 10000"},
		{"items=-1", func(c *scenarios.Config) { c.Items = -1 }, "items -1: must be between 0 and 67108864"},
		{"latency=-1s", func(c *scenarios.Config) { c.Latency = -1e9 }, "latency -1s: must be between 0s and 1m0s"},
		{"backend with a newline stays on one line", func(c *scenarios.Config) { c.Backend = "a\nb" }, `backend "a\nb": must be "http" or "memory"`},
		{"backend=ftp", func(c *scenarios.Config) { c.Backend = "ftp" }, `backend "ftp": must be "http" or "memory"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := ok
			tc.edit(&cfg)
			err := cfg.Validate()
			if tc.want == "" {
				assert.NoError(t, err)
				return
			}
			assert.EqualError(t, err, tc.want)
		})
	}
}

func TestSplitCoversEveryIndexOnce(t *testing.T) {
	for _, tc := range []struct{ n, parts int }{{0, 3}, {1, 3}, {10, 3}, {3, 10}, {1000, 7}} {
		seen := make([]int, tc.n)
		scenarios.Split(tc.n, tc.parts, func(_, lo, hi int) {
			for i := lo; i < hi; i++ {
				seen[i]++
			}
		})
		for i, c := range seen {
			assert.Equal(t, 1, c, "n=%d parts=%d: index %d covered once", tc.n, tc.parts, i)
		}
	}
}

func TestSquareNumbersSplitsExactly(t *testing.T) {
	const n = 100_003
	want := scenarios.SquareNumbers(0, n)
	var got uint64
	scenarios.Split(n, 7, func(_, lo, hi int) { got += scenarios.SquareNumbers(lo, hi) })
	assert.Equal(t, want, got, "any split of the range gives the serial checksum")
}

func TestSleepStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	assert.ErrorIs(t, scenarios.Sleep(ctx, 1<<62), context.Canceled)
}
