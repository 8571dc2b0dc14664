package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strings"

	"github.com/google/pprof/profile"

	"github.com/conclab/conclab/internal/pprofkit"
)

const diffDoc = `Compare two CPU profiles (pprof files, gzipped or not): write a
differential flame graph of the change from OLD to NEW, and print the
functions whose share of the CPU grew and shrank most.

The flame graph's widths are NEW's CPU time; each frame is red where its
share of all CPU grew, blue where it shrank, pale where it held; frames
found only in OLD are drawn hatched below. Hover a frame for its numbers,
click to zoom, Search to highlight.

The lists rank functions by the change in their own (flat) share of the
CPU, in percentage points (pp); one line each: the change, the old and new
own share, the old and new share with callees, the name. Shares, not
seconds, so two profiles of different lengths compare; a change that slows
everything alike moves no share. Fewer than 10 samples in either profile
make the shares noise: a first line says so.

Exit status: 0 when written; 1 when a profile cannot be read (missing,
corrupt, empty, not a CPU profile); 2 for usage errors (arguments, flags,
an -o that cannot be written).`

func runDiff(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("diff", "[-o OUT.svg] [-top N] OLD.pb.gz NEW.pb.gz", diffDoc, stdout)
	out := fs.String("o", "diff.svg", "file to write the differential flame graph to")
	top := fs.Int("top", 10, "how many grown and shrunk functions to print")
	title := fs.String("title", "", "title of the flame graph (default: OLD → NEW)")
	quiet := fs.Bool("quiet", false, "print nothing on stderr")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(files) < 2:
		return usageErrorf("need two profiles, OLD and NEW (e.g. conclab diff old.pb.gz new.pb.gz); got %d", len(files))
	case len(files) > 2:
		return usageErrorf("unexpected argument %q: give two profiles, OLD and NEW", files[2])
	case *top < 1 || *top > 1000:
		return usageErrorf("-top %d: must be between 1 and 1000", *top)
	case *out == "":
		return usageErrorf("-o: empty file name")
	}
	if err := pprofkit.CheckWritable(filepath.Dir(*out)); err != nil {
		return usageErrorf("%v", err)
	}
	var profiles [2]*profile.Profile
	for i, f := range files {
		if profiles[i], err = pprofkit.ReadProfile(f); err != nil {
			return err
		}
	}
	deltas, err := pprofkit.DiffFrames(profiles[0], profiles[1])
	if err != nil {
		return fmt.Errorf("%s → %s: %w", files[0], files[1], err)
	}
	t := cmp.Or(*title, files[0]+" → "+files[1])
	if err := pprofkit.WriteDiffFlameGraphFile(*out, profiles[0], profiles[1], t); err != nil {
		return err
	}
	if nb, nh := pprofkit.SampleCount(profiles[0]), pprofkit.SampleCount(profiles[1]); nb < pprofkit.MinFlameSamples || nh < pprofkit.MinFlameSamples {
		fmt.Fprintf(stdout, "too few samples (old %d, new %d): the shares below are noise\n", nb, nh)
	}
	if err := printDeltas(stdout, deltas, *top); err != nil {
		return err
	}
	if !*quiet {
		fmt.Fprintf(stderr, "differential flame graph: %s\n", *out)
	}
	return ctx.Err()
}

// printDeltas prints the top functions that grew and shrank, one a line:
// the change in percentage points, the old and new own share, the old and
// new share with callees, the name.
func printDeltas(w io.Writer, deltas []pprofkit.FrameDelta, top int) error {
	var b strings.Builder
	list := func(head string, at func(i int) pprofkit.FrameDelta, keep func(d pprofkit.FrameDelta) bool) {
		b.WriteString(head + "\n")
		n := 0
		for i := 0; i < len(deltas) && n < top; i++ {
			d := at(i)
			if !keep(d) {
				break
			}
			fmt.Fprintf(&b, "  %+7.2f pp  %6.2f%% → %6.2f%%  (with callees %6.2f%% → %6.2f%%)  %s\n",
				100*d.Delta, 100*d.Base, 100*d.Head, 100*d.BaseCum, 100*d.HeadCum, pprofkit.ShortName(d.Name))
			n++
		}
		if n == 0 {
			b.WriteString("  none\n")
		}
	}
	list("grew (own share of the CPU, old → new):",
		func(i int) pprofkit.FrameDelta { return deltas[i] },
		func(d pprofkit.FrameDelta) bool { return d.Delta > 0 })
	shrank := slices.Clone(deltas)
	// Most shrunk first; equal changes stay in DiffFrames' name order.
	slices.SortStableFunc(shrank, func(a, b pprofkit.FrameDelta) int {
		return cmp.Compare(math.Round(a.Delta*1e9), math.Round(b.Delta*1e9))
	})
	list("shrank:",
		func(i int) pprofkit.FrameDelta { return shrank[i] },
		func(d pprofkit.FrameDelta) bool { return d.Delta < 0 })
	_, err := io.WriteString(w, b.String())
	return err
}
