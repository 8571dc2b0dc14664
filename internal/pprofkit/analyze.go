package pprofkit

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/google/pprof/profile"
)

// ReadProfile reads and validates the profile in file, gzipped or not.
func ReadProfile(file string) (*profile.Profile, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%s: empty file, not a profile", file)
	}
	p, err := profile.ParseData(data)
	if err != nil {
		return nil, fmt.Errorf("%s: not a valid pprof profile: %v", file, oneLine(err))
	}
	if err := p.CheckValid(); err != nil {
		return nil, fmt.Errorf("%s: not a valid pprof profile: %v", file, oneLine(err))
	}
	return p, nil
}

// Func is one function's share of a CPU profile.
type Func struct {
	// Name is the function's full name, as pprof prints it.
	Name string
	// Flat is the CPU seconds sampled in the function itself.
	Flat float64
	// Cum is the CPU seconds sampled in the function or anything it called.
	Cum float64
}

// CPUStats is what a CPU profile says about how a run used the cores.
type CPUStats struct {
	// Samples is the number of samples (each one period of CPU time).
	Samples int64
	// CPUSeconds is the CPU time sampled, summed over every thread.
	CPUSeconds float64
	// WallSeconds is the profile's duration.
	WallSeconds float64
	// Parallelism is the effective parallelism, CPUSeconds ÷ WallSeconds:
	// the average number of cores busy during the run. It is about n for
	// CPU-bound work that scales over n cores, and about 0 for a run that
	// waits.
	Parallelism float64
	// Top lists the functions by flat CPU seconds, largest first, then by
	// cumulative seconds and by name, as `go tool pprof -top` does; at most
	// the number asked for.
	Top []Func
}

// AnalyzeCPU reads a CPU profile: its sampled CPU seconds, its wall
// seconds, their ratio and the top functions by flat CPU. Frames of
// functions inlined into others count as their own functions, as in pprof.
// It fails on a profile that has no CPU time sample type or no duration.
func AnalyzeCPU(p *profile.Profile, top int) (CPUStats, error) {
	vi, err := valueIndex(p, "cpu", "nanoseconds")
	if err != nil {
		return CPUStats{}, err
	}
	si, _ := valueIndex(p, "samples", "count")
	if p.DurationNanos <= 0 {
		return CPUStats{}, errors.New("the CPU profile has no duration")
	}
	var st CPUStats
	flat := map[string]int64{}
	cum := map[string]int64{}
	seen := map[string]bool{}
	var total int64
	for _, s := range p.Sample {
		v := s.Value[vi]
		total += v
		if si >= 0 {
			st.Samples += s.Value[si]
		} else if p.Period > 0 {
			st.Samples += v / p.Period
		}
		clear(seen)
		for i, loc := range s.Location {
			for j, ln := range loc.Line {
				name := funcName(loc, ln)
				if i == 0 && j == 0 {
					flat[name] += v
				}
				if !seen[name] {
					seen[name] = true
					cum[name] += v
				}
			}
			if len(loc.Line) == 0 {
				name := funcName(loc, profile.Line{})
				if i == 0 {
					flat[name] += v
				}
				if !seen[name] {
					seen[name] = true
					cum[name] += v
				}
			}
		}
	}
	st.CPUSeconds = float64(total) / 1e9
	st.WallSeconds = float64(p.DurationNanos) / 1e9
	st.Parallelism = st.CPUSeconds / st.WallSeconds
	funcs := make([]Func, 0, len(cum))
	for name, v := range cum {
		funcs = append(funcs, Func{Name: name, Flat: float64(flat[name]) / 1e9, Cum: float64(v) / 1e9})
	}
	slices.SortFunc(funcs, func(a, b Func) int {
		return cmp.Or(cmp.Compare(b.Flat, a.Flat), cmp.Compare(b.Cum, a.Cum), strings.Compare(a.Name, b.Name))
	})
	st.Top = funcs[:min(top, len(funcs))]
	return st, nil
}

// WaitStats is what a mutex or block profile says about waiting.
type WaitStats struct {
	// Events is the number of contention or blocking events.
	Events int64
	// Seconds is the time goroutines spent waiting, summed over goroutines.
	Seconds float64
}

// AnalyzeWait reads a mutex or block profile (sample types
// contentions/count and delay/nanoseconds): how often and how long
// goroutines waited.
func AnalyzeWait(p *profile.Profile) (WaitStats, error) {
	ci, err := valueIndex(p, "contentions", "count")
	if err != nil {
		return WaitStats{}, err
	}
	di, err := valueIndex(p, "delay", "nanoseconds")
	if err != nil {
		return WaitStats{}, err
	}
	var st WaitStats
	var delay int64
	for _, s := range p.Sample {
		st.Events += s.Value[ci]
		delay += s.Value[di]
	}
	st.Seconds = float64(delay) / 1e9
	return st, nil
}

// CountGoroutines returns the number of goroutines in a goroutine profile.
func CountGoroutines(p *profile.Profile) (int64, error) {
	gi, err := valueIndex(p, "goroutine", "count")
	if err != nil {
		return 0, err
	}
	var n int64
	for _, s := range p.Sample {
		n += s.Value[gi]
	}
	return n, nil
}

// valueIndex returns the index of the sample type typ/unit in p.
func valueIndex(p *profile.Profile, typ, unit string) (int, error) {
	var have []string
	for i, st := range p.SampleType {
		if st.Type == typ && st.Unit == unit {
			return i, nil
		}
		have = append(have, st.Type+"/"+st.Unit)
	}
	return -1, fmt.Errorf("profile has no %s/%s samples (it has %s)", typ, unit, strings.Join(have, ", "))
}

// funcName names the frame ln of loc, or its address when unsymbolised.
func funcName(loc *profile.Location, ln profile.Line) string {
	if ln.Function != nil && ln.Function.Name != "" {
		return ln.Function.Name
	}
	return fmt.Sprintf("0x%x", loc.Address)
}

// ShortName drops the import path of a function outside the standard
// library, keeping its package: "github.com/conclab/conclab/scenarios.mix"
// becomes "scenarios.mix". Standard-library names, whose first path element
// has no dot ("internal/sync.(*Mutex).Lock"), are kept whole.
func ShortName(name string) string {
	prefix := name
	if i := strings.IndexAny(name, "(["); i >= 0 {
		prefix = name[:i]
	}
	slash := strings.LastIndexByte(prefix, '/')
	if slash < 0 {
		return name
	}
	if first, _, _ := strings.Cut(prefix, "/"); !strings.Contains(first, ".") {
		return name
	}
	return name[slash+1:]
}

// oneLine keeps the first line of err's message.
func oneLine(err error) string {
	s := strings.TrimSpace(err.Error())
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}
