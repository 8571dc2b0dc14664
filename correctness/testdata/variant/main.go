// Command variant runs one scenario or broken variant of conclab's catalogue
// by name, with its scenario's defaults, and prints its summary. The
// correctness suite builds it with -race to prove that every variant whose
// fault is a race makes the race detector fire (TestRaceVariants), and that
// the correct scenarios do not (TestNoRaceScenarios).
//
// Usage: variant NAME
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/conclab/conclab/scenarios"
)

func main() {
	scenarios.ServeIfWorker()
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: variant NAME")
		os.Exit(2)
	}
	name := os.Args[1]
	run, cfg := lookup(name)
	res, err := run(context.Background(), cfg)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(1)
	}
	fmt.Printf("%s: %s\n", name, res.Summary)
}

func lookup(name string) (scenarios.RunFunc, scenarios.Config) {
	if v, s, err := scenarios.LookupVariant(name); err == nil {
		return v.Run, s.Defaults
	}
	s, err := scenarios.Lookup(name)
	if err != nil {
		fmt.Fprintf(os.Stderr, "variant: %v\n", err)
		os.Exit(2)
	}
	return s.Run, s.Defaults
}
