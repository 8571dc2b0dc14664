package scenarios_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/scenarios"
)

func TestEveryDefaultFitsTheMachine(t *testing.T) {
	for _, s := range scenarios.All() {
		assert.NoError(t, s.CheckResources(s.Defaults), s.Name)
	}
}

func TestCheckResourcesRefusesWhatTheMachineCannotHold(t *testing.T) {
	pool, err := scenarios.Lookup("process-pool")
	require.NoError(t, err)
	gather, err := scenarios.Lookup("gather")
	require.NoError(t, err)
	limited, err := scenarios.Lookup("gather-limit")
	require.NoError(t, err)
	poolMap, err := scenarios.Lookup("pool-map")
	require.NoError(t, err)
	huge := int(scenarios.MemoryBudget()/scenarios.GoroutineBytes) + 1

	for _, tc := range []struct {
		name  string
		s     *scenarios.Scenario
		cfg   scenarios.Config
		field string
	}{
		{"process-pool/workers=max+1", pool, scenarios.Config{Workers: scenarios.MaxProcesses() + 1, Items: 4, Work: 1}, "workers"},
		{"gather/every-item-in-flight", gather, scenarios.Config{Items: huge, Latency: 1}, "items"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.s.CheckResources(tc.cfg)
			var ce *scenarios.ConfigError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, tc.field, ce.Field)
		})
	}
	for _, tc := range []struct {
		name string
		s    *scenarios.Scenario
		cfg  scenarios.Config
	}{
		{"process-pool/workers=max", pool, scenarios.Config{Workers: scenarios.MaxProcesses(), Items: 4, Work: 1}},
		{"gather-limit/few-in-flight", limited, scenarios.Config{Items: huge, Latency: 1, Limit: 2}},
		{"pool-map/many-small-items", poolMap, scenarios.Config{Items: 1 << 20, Work: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.NoError(t, tc.s.CheckResources(tc.cfg), "within what the machine holds")
		})
	}
}
