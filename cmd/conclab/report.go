package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

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
	fs := newFlagSet("report", "[flags] DIR...", reportDoc, stdout)
	out := fs.String("out", "", "directory to write the report to (default: the first DIR)")
	quiet := fs.Bool("quiet", false, "print nothing on stderr")
	dirs, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(dirs) == 0 {
		return usageErrorf("missing directory of profiles (e.g. conclab report profiles)")
	}
	if *out == "" {
		*out = dirs[0]
	}
	d, err := profiling.Report(*out, dirs...)
	if err != nil {
		return usageErrorf("%v", err)
	}
	if err := d.WriteSummary(stdout); err != nil {
		return err
	}
	if !*quiet {
		fmt.Fprintf(stderr, "report: %s, %s\n", filepath.Join(*out, "report.md"), filepath.Join(*out, "report.html"))
	}
	return ctx.Err()
}
