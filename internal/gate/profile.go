package gate

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"time"

	decide "github.com/conclab/conclab/perf/gate"

	"github.com/conclab/conclab/internal/pprofkit"
)

// profile runs each failing benchmark once more on each side with a CPU
// profile, ten times as long as a measurement and at least two seconds,
// while the budget lasts, and draws the differential flame graph.
func (opts *Options) profile(ctx context.Context, r *runner, fs []decide.Finding, end time.Time) []string {
	if err := os.MkdirAll(opts.Profiles, 0o755); err != nil {
		opts.logf("gate: profiles: %v\n", err)
		return nil
	}
	long, need := opts.Benchtime, 2*time.Second
	if d, err := time.ParseDuration(opts.Benchtime); err == nil {
		need = max(10*d, 2*time.Second)
		long = need.String()
	}
	var written []string
	for _, f := range fs {
		if f.Verdict != decide.Fail {
			continue
		}
		if time.Until(end) < 2*need+2*time.Second {
			opts.logf("gate: no time left in the budget to profile %s\n", f.Name)
			continue
		}
		slug := strings.NewReplacer("/", "_", " ", "_", ":", "_").Replace(strings.TrimPrefix(f.Name, "Benchmark"))
		var paths []string
		for _, s := range []decide.Side{decide.Old, decide.New} {
			path := filepath.Join(opts.Profiles, slug+"."+s.String()+".pb.gz")
			abs, err := filepath.Abs(path)
			if err == nil {
				err = r.execs[f.Name].Profile(ctx, s, r.names[f.Name], long, abs)
			}
			if err != nil {
				opts.logf("gate: profile of %s, %s side: %v\n", f.Name, s, err)
				break
			}
			paths = append(paths, path)
		}
		if len(paths) < 2 {
			continue
		}
		svg := filepath.Join(opts.Profiles, slug+".diff.svg")
		if err := diffFlame(paths[0], paths[1], svg, f.Name+": base → change"); err != nil {
			opts.logf("gate: flame graph of %s: %v\n", f.Name, err)
		} else {
			paths = append(paths, svg)
		}
		written = append(written, paths...)
	}
	return written
}

func diffFlame(oldPath, newPath, svg, title string) error {
	o, err := pprofkit.ReadProfile(oldPath)
	if err != nil {
		return err
	}
	n, err := pprofkit.ReadProfile(newPath)
	if err != nil {
		return err
	}
	return pprofkit.WriteDiffFlameGraphFile(svg, o, n, title)
}
