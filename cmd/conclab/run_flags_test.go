package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/conclab/conclab/scenarios"
)

// A flag that sizes a field the scenario does not read would change
// nothing: run refuses it, naming the flags the scenario does read.
func TestRunRefusesFlagsTheScenarioDoesNotRead(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"two-unread", []string{"run", "counter-mutex", "-latency", "5s", "-limit", "3"},
			"conclab run: -latency and -limit do not apply to counter-mutex, which reads only -workers and -items\n"},
		{"one-unread-among-read", []string{"run", "semaphore", "-items", "4", "-workers", "3"},
			"conclab run: -workers does not apply to semaphore, which reads only -items, -latency and -limit\n"},
		{"unread-even-at-its-default-value", []string{"run", "-serial", "cpu-bound", "-backend", "memory"},
			"conclab run: -backend does not apply to cpu-bound, which reads only -workers, -items and -work\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := conclab(t, tc.args...)
			assert.Equal(t, 2, code, "a flag the scenario ignores is a usage error")
			assert.Empty(t, stdout, "nothing ran")
			assert.Equal(t, tc.want, stderr)
		})
	}
}

// Every scenario accepts every flag it declares it reads: the positive
// control of the refusal above, over the whole catalogue.
func TestRunAcceptsTheFlagsTheScenarioReads(t *testing.T) {
	value := map[string]string{"workers": "2", "items": "2", "latency": "1ms", "work": "10", "limit": "2", "backend": "memory"}
	for _, s := range scenarios.All() {
		args := []string{"run", s.Name}
		for _, name := range s.Reads.Names() {
			args = append(args, "-"+name, value[name])
		}
		t.Run(s.Name, func(t *testing.T) {
			code, stdout, stderr := conclab(t, args...)
			assert.Equal(t, 0, code, "stderr: %s", stderr)
			assert.Contains(t, stdout, "invariant: ok")
		})
	}
}
