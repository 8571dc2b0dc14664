package correctness

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/conclab/conclab/scenarios"
)

// FuzzConfigValidate checks Config.Validate against its documented ranges:
// it accepts a config exactly when every field is in range, and otherwise
// returns a *ConfigError naming the first field out of range, in the order
// workers, items, latency, work, limit, backend. (The message is not
// always one line: a backend value holding a newline is printed as is;
// the command line keeps only the first line.)
func FuzzConfigValidate(f *testing.F) {
	f.Add(5, 10_000, int64(0), 0, 0, "")
	f.Add(0, 0, int64(time.Second), 1, 1, scenarios.BackendMemory)
	f.Add(-1, 1, int64(0), 0, 0, "")
	f.Add(scenarios.MaxWorkers+1, 0, int64(0), 0, 0, scenarios.BackendHTTP)
	f.Add(1, scenarios.MaxItems+1, int64(-1), -1, -1, "ftp")
	f.Add(1, 1, int64(scenarios.MaxLatency)+1, scenarios.MaxWork+1, scenarios.MaxLimit+1, "HTTP")
	f.Fuzz(func(t *testing.T, workers, items int, latency int64, work, limit int, backend string) {
		cfg := scenarios.Config{Workers: workers, Items: items, Latency: time.Duration(latency), Work: work, Limit: limit, Backend: backend}
		var want string // the first field out of range
		switch {
		case workers < 0 || workers > scenarios.MaxWorkers:
			want = "workers"
		case items < 0 || items > scenarios.MaxItems:
			want = "items"
		case cfg.Latency < 0 || cfg.Latency > scenarios.MaxLatency:
			want = "latency"
		case work < 0 || work > scenarios.MaxWork:
			want = "work"
		case limit < 0 || limit > scenarios.MaxLimit:
			want = "limit"
		case backend != "" && backend != scenarios.BackendHTTP && backend != scenarios.BackendMemory:
			want = "backend"
		}
		err := cfg.Validate()
		if want == "" {
			if err != nil {
				t.Fatalf("Validate(%+v) = %v, want nil: every field is in range", cfg, err)
			}
			return
		}
		ce, ok := errors.AsType[*scenarios.ConfigError](err)
		if !ok {
			t.Fatalf("Validate(%+v) = %v, want a *ConfigError for %s", cfg, err, want)
		}
		if ce.Field != want || !strings.HasPrefix(err.Error(), want+" ") {
			t.Fatalf("Validate(%+v) = %q (field %q), want an error about %s", cfg, err, ce.Field, want)
		}
	})
}
