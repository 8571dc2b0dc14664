package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/conclab/conclab/scenarios"
)

func runList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("list", "[-v]", "List the catalogue: each scenario's name, kind and the article's section it mirrors.", stdout)
	verbose := fs.Bool("v", false, "also print what each scenario does and the Python it replaces")
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageErrorf("unexpected argument %q", rest[0])
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tKIND\tSECTION\tSERIAL BASELINE")
	for _, s := range scenarios.All() {
		serial := "-"
		if s.Serial != nil {
			serial = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.Name, s.Kind, s.Section, serial)
	}
	if err := tw.Flush(); err != nil || !*verbose {
		return err
	}
	for _, s := range scenarios.All() {
		fmt.Fprintf(stdout, "\n%s (%s, %s): %s\n", s.Name, s.Kind, s.Section, s.Doc)
		fmt.Fprintf(stdout, "    reads %v; the article: %s\n", s.Reads, s.Claim.Article)
		for line := range strings.SplitSeq(s.Python, "\n") {
			fmt.Fprintf(stdout, "    | %s\n", line)
		}
	}
	return nil
}
