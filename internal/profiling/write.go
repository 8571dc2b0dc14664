package profiling

import (
	"github.com/conclab/conclab/internal/pprofkit"
	"io"
	"os"
	"path/filepath"
	"regexp"
)

// Report loads the recordings under dirs (see [Load]) and writes
// report.md, report.html and the speed-up charts to out, each atomically.
// A CPU profile without its flame graph gets one, rendered beside it, so a
// report rebuilt from profiles alone is complete.
func Report(out string, dirs ...string) (*Data, error) {
	d, err := Load(out, dirs...)
	if err != nil {
		return nil, err
	}
	return d, d.Write()
}

// Write writes report.md, report.html and the speed-up charts to d.Out,
// each atomically, rendering the flame graphs that are missing.
func (d *Data) Write() error {
	out := d.Out
	if err := pprofkit.CheckWritable(out); err != nil {
		return err
	}
	var err error
	for _, sr := range d.Scenarios {
		for _, r := range sr.Rows {
			if r.Run.Files.Flame != "" {
				if _, err := os.Stat(filepath.Join(r.Dir, r.Run.Files.Flame)); err == nil {
					continue
				}
			}
			if r.Run.Files.Flame, err = renderFlame(r.Dir, r.Run); err != nil {
				return err
			}
		}
		if err := pprofkit.WriteFile(filepath.Join(out, sr.Chart), func(w io.Writer) error {
			_, err := io.WriteString(w, sr.chart)
			return err
		}); err != nil {
			return err
		}
	}
	if err := d.removeStaleCharts(); err != nil {
		return err
	}
	if err := pprofkit.WriteFile(filepath.Join(out, "report.md"), d.WriteMarkdown); err != nil {
		return err
	}
	return pprofkit.WriteFile(filepath.Join(out, "report.html"), d.WriteHTML)
}

// chartFile matches the speed-up charts a report writes.
var chartFile = regexp.MustCompile(`^speedup-.+\.svg$`)

// removeStaleCharts removes the speed-up charts in d.Out of scenarios the
// report does not hold: a chart is never left without its data.
func (d *Data) removeStaleCharts() error {
	entries, err := os.ReadDir(d.Out)
	if err != nil {
		return err
	}
	keep := map[string]bool{}
	for _, sr := range d.Scenarios {
		keep[sr.Chart] = true
	}
	for _, e := range entries {
		if !e.IsDir() && chartFile.MatchString(e.Name()) && !keep[e.Name()] {
			if err := os.Remove(filepath.Join(d.Out, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}
