package instrument_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/internal/hunt/instrument"
)

// TestCorpusSweep runs the hunt corpus (internal/hunt/testdata/corpus) under
// the instrumentation alone, without the driver: each bug must show its
// detector within the runs, each fixed twin nothing. It takes minutes, so
// it runs only with CONCLAB_INSTRUMENT_CORPUS=1 (the driver's tests are the
// gate; this is the instrument's own check).
func TestCorpusSweep(t *testing.T) {
	if os.Getenv("CONCLAB_INSTRUMENT_CORPUS") == "" {
		t.Skip("set CONCLAB_INSTRUMENT_CORPUS=1 to sweep the corpus")
	}
	root := filepath.Join("..", "testdata", "corpus")
	data, err := os.ReadFile(filepath.Join(root, "corpus.json"))
	require.NoError(t, err)
	var kernels []struct {
		Name, Detector, Test string
		Also                 []string // other detectors the bug may show first
		ScheduleDependent    bool     `json:"schedule_dependent"`
	}
	require.NoError(t, json.Unmarshal(data, &kernels))
	runs := 20
	if v, err := strconv.Atoi(os.Getenv("CONCLAB_INSTRUMENT_RUNS")); err == nil {
		runs = v
	}
	for _, k := range kernels {
		t.Run(k.Name, func(t *testing.T) {
			t.Parallel()
			for _, variant := range []string{"bug", "fixed"} {
				dir := filepath.Join(root, k.Name, variant)
				bin := buildHunted(t, t.TempDir(), dir, ".", instrument.Options{})
				start := time.Now()
				found := ""
				n := 0
				for n = 1; n <= runs && found == ""; n++ {
					r := runHunted(t, bin, dir, k.Test, "CONCLAB_HUNT_YIELD=0.2", "CONCLAB_HUNT_STALL=1s",
						"CONCLAB_HUNT_SEED="+strconv.Itoa(n*1000), "-test.count=5", "-test.cpu="+strconv.Itoa(1+n%2))
					found = detected(r)
					if variant == "fixed" && found != "" {
						t.Errorf("fixed twin: %s in run %d\n%s", found, n, r.output)
					}
				}
				if variant == "bug" {
					t.Logf("%-28s want %-10s got %-10s runs %d %v", k.Name, k.Detector, found, n-1, time.Since(start).Round(time.Millisecond))
					assert.Contains(t, append([]string{k.Detector}, k.Also...), found)
				}
			}
		})
	}
}

// detected names the first detector that fired in r, as the driver would.
func detected(r run) string {
	if len(r.findings) > 0 {
		return r.findings[0].Kind
	}
	switch {
	case strings.Contains(r.output, "WARNING: DATA RACE"):
		return "race"
	case strings.Contains(r.output, "all goroutines are asleep"):
		return "deadlock"
	case strings.Contains(r.output, "panic: ") || strings.Contains(r.output, "fatal error: "):
		return "panic"
	case strings.Contains(r.output, "--- FAIL"):
		return "failure"
	case r.exit != 0:
		return "exit " + strconv.Itoa(r.exit)
	}
	return ""
}
