package scenarios

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
)

// Estimates of what a run holds, used by [Scenario.CheckResources]. They
// err on the high side: a refused configuration costs a flag, an accepted
// one that exhausts memory costs the machine.
const (
	// GoroutineBytes is what one goroutine in flight holds: its stack,
	// grown by the calls of a fetch or a timer wait, and its bookkeeping.
	GoroutineBytes = 16 << 10
	// ItemBytes is what one item's result holds until the run ends.
	ItemBytes = 16
	// ProcessBytes is what one worker process of conclab holds: a Go
	// runtime and the binary's pages that are not shared.
	ProcessBytes = 10 << 20
	// ProcessesPerCPU bounds the worker processes of a scenario: more than
	// a few per core only adds start-up and scheduling.
	ProcessesPerCPU = 4
)

// MaxProcesses is the most worker processes a scenario may start on this
// machine: ProcessesPerCPU per core, and never fewer than 8.
func MaxProcesses() int { return max(8, ProcessesPerCPU*runtime.NumCPU()) }

// MemoryBudget is the memory one run may plan to hold: a quarter of the
// machine's, so that a typo cannot exhaust it.
func MemoryBudget() int64 { return machineMemory() / 4 }

// CheckResources returns a *ConfigError if a run of s under cfg would ask
// more of this machine than it can give: more worker processes than
// [MaxProcesses], or an estimated peak memory (goroutines in flight ×
// GoroutineBytes + items × ItemBytes, processes × ProcessBytes) over
// [MemoryBudget]. The estimate of goroutines in flight is the scenario's
// own timing claim of its peak where it states one, else its workers.
func (s *Scenario) CheckResources(cfg Config) error {
	workers := cfg.WorkerCount()
	if s.Processes && workers > MaxProcesses() {
		return &ConfigError{"workers", workers, fmt.Sprintf("%s starts one process per worker (about %d MiB each): at most %d (%d per core) on this machine",
			s.Name, ProcessBytes>>20, MaxProcesses(), ProcessesPerCPU)}
	}
	inFlight := int64(workers)
	if s.Timing != nil && s.Timing.Peak != nil {
		inFlight = max(inFlight, int64(s.Timing.Peak(cfg)))
	}
	need := inFlight*GoroutineBytes + int64(cfg.Items)*ItemBytes
	if s.Processes {
		need += int64(workers) * ProcessBytes
	}
	if budget := MemoryBudget(); need > budget {
		field, value := "items", cfg.Items
		if int64(cfg.Items)*ItemBytes < inFlight*GoroutineBytes && s.Timing == nil {
			field, value = "workers", workers
		}
		return &ConfigError{field, value, fmt.Sprintf("%s would hold about %s at once, over the %s a run may use (a quarter of this machine's memory)",
			s.Name, bytesString(need), bytesString(budget))}
	}
	return nil
}

func bytesString(b int64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(b)/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20))
	}
	return fmt.Sprintf("%d KiB", b>>10)
}

// machineMemory is the machine's memory from /proc/meminfo, or 8 GiB
// where it cannot be read.
var machineMemory = sync.OnceValue(func() int64 {
	const fallback = 8 << 30
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return fallback
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// MemTotal:       24641024 kB
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "MemTotal:" {
			if kb, err := strconv.ParseInt(fields[1], 10, 64); err == nil && kb > 0 {
				return kb << 10
			}
		}
	}
	return fallback
})
