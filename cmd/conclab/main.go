// Command conclab runs, lists and profiles the scenarios of conclab's
// catalogue: the concurrency patterns of "Concurrency in Python" rebuilt in
// Go (see package scenarios).
//
// Usage:
//
//	conclab list [-v]                 the catalogue
//	conclab run NAME [flags]          run one scenario and check its invariant
//	conclab profile [flags]           record profiles per scenario and core count, write the report
//	conclab report DIR...             rebuild the report from profiles on disk
//	conclab scale [flags] [PACKAGES]  how a module's own benchmarks scale across cores, and why they stop
//	conclab diff OLD NEW              differential flame graph of two CPU profiles
//	conclab worker                    serve as a process-pool child (started by the pool itself)
//	conclab hunt [flags] [packages]   hunt the concurrency bugs in any package's own tests
//	conclab gate -base REF [packages] fail a change whose benchmarks are slower than at REF
//
// Every subcommand takes -h. Usage errors (an unknown scenario, a bad flag
// value, extra arguments, an unwritable output directory) print one line on
// stderr and exit with status 2; a failed invariant exits with status 1.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/conclab/conclab/scenarios"
)

func main() {
	scenarios.ServeIfWorker()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// A command is one subcommand of conclab.
type command struct {
	name    string
	args    string // the synopsis after the name
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

var commands []command

func init() {
	commands = []command{
		{"list", "[-v]", "list the catalogue of scenarios", runList},
		{"run", "NAME [flags]", "run one scenario and check its invariant", runRun},
		{"profile", "[flags]", "record profiles per scenario and core count, and write the report", runProfile},
		{"report", "[flags] DIR...", "rebuild the report from the profiles in each DIR", runReport},
		{"scale", "[flags] [PKG]", "how a module's own benchmarks scale across cores, and why they stop", runScale},
		{"diff", "OLD NEW", "differential flame graph of two CPU profiles; what grew, what shrank", runDiff},
		{"worker", "", "serve as a process-pool child (the pool starts it)", runWorker},
		{"hunt", "[flags] [pkgs]", "hunt races, leaks, deadlocks, lock-order cycles in a package's tests", runHunt},
		{"gate", "-base REF [pkgs]", "fail a change whose benchmarks are slower than at REF (paired, signed-rank)", runGate},
	}
}

// exitError carries the exit status of a failed command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageErrorf reports bad input: exit status 2.
func usageErrorf(format string, args ...any) error {
	return &exitError{2, fmt.Errorf(format, args...)}
}

// errHelp is returned after -h printed the help: exit status 0.
var errHelp = errors.New("help requested")

// Main runs conclab with args (without the program name) and returns the
// exit status.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	name := args[0]
	if name == "-h" || name == "-help" || name == "--help" || name == "help" {
		usage(stdout)
		return 0
	}
	for _, c := range commands {
		if c.name != name {
			continue
		}
		err := c.run(ctx, args[1:], stdout, stderr)
		switch {
		case err == nil || errors.Is(err, errHelp):
			return 0
		default:
			fmt.Fprintf(stderr, "conclab %s: %s\n", name, oneLine(err.Error()))
			if e, ok := errors.AsType[*exitError](err); ok {
				return e.code
			}
			return 1
		}
	}
	fmt.Fprintf(stderr, "conclab: unknown command %q (commands: %s)\n", name, commandNames())
	return 2
}

func commandNames() string {
	names := make([]string, len(commands))
	for i, c := range commands {
		names[i] = c.name
	}
	return strings.Join(names, ", ")
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "conclab: Go's answers to the concurrency patterns of \"Concurrency in Python\", proven and profiled.\n\nUsage:\n\n")
	for _, c := range commands {
		fmt.Fprintf(w, "\tconclab %-8s %-14s %s\n", c.name, c.args, c.summary)
	}
	fmt.Fprintf(w, "\nRun 'conclab COMMAND -h' for the flags of a command.\n")
}

// oneLine keeps an error message to one line, as the user sees it.
func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}
