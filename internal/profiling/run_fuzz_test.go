package profiling_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/conclab/conclab/internal/profiling"
)

// FuzzReadRun feeds run files copied from other machines, which the report
// treats as untrusted: whatever ReadRun accepts names a scenario and files
// that stay inside the run's directory.
func FuzzReadRun(f *testing.F) {
	for _, seed := range []string{
		`{"scenario":"cpu-bound","gomaxprocs":2,"wall_seconds":0.5,"rounds":1,"files":{"cpu":"cpu-2.pb.gz","flame":"cpu-2.svg"}}`,
		`{"scenario":"../../../escaped","gomaxprocs":1,"wall_seconds":1,"files":{"cpu":"cpu-1.pb.gz"}}`,
		`{"scenario":"a","gomaxprocs":1,"wall_seconds":1,"files":{"cpu":"../x.pb.gz","mutex":"/etc/passwd"}}`,
		`{"scenario":"a","gomaxprocs":1e9,"wall_seconds":1e999,"files":{"cpu":"c"}}`,
		`{`, ``,
	} {
		f.Add([]byte(seed))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "run-1.json")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		run, err := profiling.ReadRun(path)
		if err != nil {
			if strings.Contains(err.Error(), "\n") && !strings.Contains(string(data), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
			return
		}
		for _, name := range []string{run.Scenario, run.Files.CPU, run.Files.Flame, run.Files.Mutex, run.Files.Block, run.Files.Goroutine} {
			if name == "" {
				continue
			}
			if name != filepath.Base(name) || strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") {
				t.Errorf("ReadRun accepted %q, which leaves the run's directory", name)
			}
		}
		if run.Procs < 1 || run.WallSeconds <= 0 {
			t.Errorf("ReadRun accepted gomaxprocs %d, wall %v", run.Procs, run.WallSeconds)
		}
	})
}
