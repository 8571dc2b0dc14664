package perf

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/conclab/conclab/scenarios"
)

// The benchmark sizes must be valid configurations, and small: the whole
// default benchmark run has to fit in a few minutes on two cores.
func TestBenchConfigIsValidAndSmall(t *testing.T) {
	for _, s := range scenarios.All() {
		t.Run(s.Name, func(t *testing.T) {
			cfg := benchConfig(s)
			assert.NoError(t, cfg.Validate())
			assert.LessOrEqual(t, cfg.Latency, maxBenchLatency, "waits capped")
			assert.LessOrEqual(t, cfg.Items*cfg.Work, max(maxBenchWork, cfg.Items), "CPU work capped")
			assert.Equal(t, s.Defaults.Items, cfg.Items, "the number of items, and so the split between workers, kept")
			ws := workerCounts(s, cfg)
			assert.NotEmpty(t, ws)
			assert.IsNonDecreasing(t, ws)
		})
	}
}
