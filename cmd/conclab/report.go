package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/conclab/conclab/internal/pprofkit"
	"github.com/conclab/conclab/internal/profiling"
)

const reportDoc = `Rebuild the report (report.md, report.html, the speed-up charts and every
flame graph) from profiles already on disk, without recording anything.

Each DIR is searched for recordings (<scenario>/run-<n>.json beside its
profiles). Give several DIRs, or one DIR with a sub-directory per machine,
to merge runs recorded on different machines into one scaling chart:

	conclab report profiles/laptop profiles/ci-64
	conclab report -out merged profiles     (profiles/laptop/..., profiles/ci-64/...)

Speed-ups are computed within each machine's run; the chart draws one line
per machine. The report goes to -out, by default the first DIR.`

func runReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	flags := newFlagSet("report", "[flags] DIR...", reportDoc, stdout)
	out := flags.String("out", "", "directory to write the report to (default: the first DIR)")
	quiet := flags.Bool("quiet", false, "print nothing on stderr")
	dirs, err := parseInterspersed(flags, args)
	if err != nil {
		return err
	}
	if len(dirs) == 0 {
		return usageErrorf("missing directory of profiles (e.g. conclab report profiles)")
	}
	if *out == "" {
		*out = dirs[0]
	}
	for _, dir := range dirs {
		if _, err := os.Stat(dir); err != nil {
			return usageErrorf("%v", err)
		}
	}
	if err := pprofkit.CheckWritable(*out); err != nil {
		return usageErrorf("%v", err)
	}
	d, err := profiling.Report(*out, dirs...)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, profiling.ErrNoRecordings) || errors.Is(err, syscall.ENOTDIR) {
			return usageErrorf("%v", err)
		}
		return err
	}
	if err := d.WriteSummary(stdout); err != nil {
		return err
	}
	if !*quiet {
		fmt.Fprintf(stderr, "report: %s, %s\n", filepath.Join(*out, "report.md"), filepath.Join(*out, "report.html"))
	}
	return skipped(d, stderr)
}

// skipped prints one warning per recording the report left out, and fails
// with exit status 1 if there was any: the report is complete for what it
// shows, but the data it was asked for was not all readable.
func skipped(d *profiling.Data, stderr io.Writer) error {
	for _, err := range d.Skipped {
		fmt.Fprintf(stderr, "warning: skipped %s\n", oneLine(err.Error()))
	}
	if n := len(d.Skipped); n > 0 {
		return fmt.Errorf("%d of %d recordings could not be read and are left out of the report", n, n+countRows(d))
	}
	return nil
}

func countRows(d *profiling.Data) int {
	n := 0
	for _, sr := range d.Scenarios {
		n += len(sr.Rows)
	}
	return n
}
