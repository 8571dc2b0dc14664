package scenarios_test

import (
	"testing"

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
