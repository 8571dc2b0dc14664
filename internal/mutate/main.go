// Command mutate checks that the test suite catches concurrency bugs: it
// injects each mutation, one at a time, and runs the tests that can see it.
// The mutations are generated from the AST of every non-test file in
// scenarios/, internal/ and cmd/ (each Lock/Unlock pair, Done, Add, Wait,
// close, Signal, Broadcast, Release and cancel call removed, each Broadcast
// turned into a Signal, each `for` around a Wait turned into an `if`; see
// ast.go), plus a hand-written table of the bugs no AST rule expresses
// (mutations.go). The work tree is never modified: the mutated file is
// handed to the go command as an -overlay (through GOFLAGS, so that a
// test's own go build sees it too).
//
// Usage, from the module's root (scripts/mutate runs it):
//
//	go run ./internal/mutate [-run REGEXP] [-j N] [-timeout 90s] [-md FILE] [-list]
//	                         [-equivalents] [-hints FILE] [-update-hints]
//
// Each mutation first runs the tests that caught it last time (hints.txt),
// alone; if none fails, every package whose test binary links the mutated
// package, its own first, with -failfast; the first failing test stops the
// run. A mutation is caught when a test fails or the test binary crashes,
// and the tests credited with the catch pass on the unmutated tree; a catch
// by the test binary's -timeout is reported apart as a hang (a hang should
// be a named failure: a synctest deadlock or a watchdog). It survives when
// every test passes. The mutations docs/mutation.md lists as equivalent,
// with their reason, and the perf-only ones are not run unless asked. A
// mutation whose code does not compile is reported apart, as a fault of
// the rules.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/conclab/conclab/internal/gotool"
	"github.com/conclab/conclab/internal/pprofkit"
)

var (
	runFlag         = flag.String("run", "", "only the mutations whose id matches this regular expression")
	jobs            = flag.Int("j", runtime.NumCPU(), "mutations tested at once")
	timeoutFlag     = flag.Duration("timeout", 90*time.Second, "the test binary's -timeout; the run is killed 30s after it")
	mdFlag          = flag.String("md", "", "also write the table, in Markdown, to this file")
	listFlag        = flag.Bool("list", false, "list the mutations, after checking that each applies, and exit")
	equivalentsFlag = flag.Bool("equivalents", false, "also run the mutations listed as equivalent and the perf-only ones")
	hintsFlag       = flag.String("hints", filepath.Join("internal", "mutate", "hints.txt"), "the tests to try first for each mutation (\"\" for none)")
	updateHints     = flag.Bool("update-hints", false, "rewrite the -hints file with the tests that caught each mutation this run")
	dirs            = []string{"scenarios", "internal", "cmd"}
)

// interrupted is cancelled on SIGINT or SIGTERM: the test runs in progress
// are killed (they run in their own process groups, which a terminal's ^C
// does not reach) before mutate exits.
var interrupted = context.Background()

func main() {
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: go run ./internal/mutate [flags]   (from the module's root; see docs/mutation.md)")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "mutate: no arguments expected, got", flag.Args())
		os.Exit(2)
	}
	var stop context.CancelFunc
	interrupted, stop = signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(); err != nil {
		stop()
		fmt.Fprintln(os.Stderr, "mutate:", err)
		if errors.Is(err, errFailed) {
			os.Exit(1)
		}
		os.Exit(2)
	}
}

func run() error {
	var re *regexp.Regexp
	if *runFlag != "" {
		var err error
		if re, err = regexp.Compile(*runFlag); err != nil {
			return err
		}
	}
	root, err := os.Getwd()
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		return errors.New("run from the module's root")
	}
	generated, err := generate(root, dirs)
	if err != nil {
		return err
	}
	var todo []mutation
	ids := map[string]bool{}
	for _, m := range append(slices.Clone(mutations), generated...) {
		if ids[m.id] {
			return fmt.Errorf("mutation id %s used twice", m.id)
		}
		ids[m.id] = true
		if re == nil || re.MatchString(m.id) {
			todo = append(todo, m)
		}
	}
	// Every mutation must apply to the pristine sources.
	for _, m := range todo {
		if _, err := m.apply(root); err != nil {
			return err
		}
	}
	if *listFlag {
		for _, m := range todo {
			fmt.Printf("%-56s %s\n", m.id, m.desc)
		}
		return nil
	}
	equivalent, err := readEquivalents(filepath.Join(root, "docs", "mutation.md"))
	if err != nil {
		return err
	}
	hinted, err := readHints(*hintsFlag)
	if err != nil {
		return err
	}
	linkers, err := testedBy(root)
	if err != nil {
		return err
	}
	var pkgs []string
	for _, m := range todo {
		for _, p := range linkers(m.file) {
			if !slices.Contains(pkgs, p) {
				pkgs = append(pkgs, p)
			}
		}
	}
	index, err := indexTests(root, pkgs)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "conclab-mutate-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	start := time.Now()
	goTest := func(r testRun) outcome { return runTests(interrupted, root, r, *timeoutFlag) }
	j := &judge{root: root, tmp: tmp, linkers: linkers, index: index, hints: hinted,
		equivalent: equivalent, equivalents: *equivalentsFlag, run: goTest, base: newBaseline(goTest)}
	// The baseline of the hinted tests, in one run beside the mutations: the
	// unmutated tree must pass them, or their catches mean nothing (a catch
	// by one waits for it). Other credited tests are checked as they catch
	// something.
	var hintedTests []string
	for _, m := range todo {
		for _, t := range hinted[m.id] {
			if !slices.Contains(hintedTests, t) && index.holding([]string{t}, linkers(m.file)) != nil {
				hintedTests = append(hintedTests, t)
			}
		}
	}
	fmt.Fprintf(os.Stderr, "mutate: %d mutations; baseline run of the %d hinted tests beside them\n", len(todo), len(hintedTests))
	baseline := make(chan error, 1)
	checkHinted := j.base.claim(index.holding(hintedTests, pkgs), hintedTests)
	go func() { baseline <- checkHinted() }()
	results := runAll(interrupted, todo, *jobs, j.verdict, func(i int, v verdict) {
		took := ""
		if v.how != "" {
			took = fmt.Sprintf(" (%s, %.0fs)", v.how, v.elapsed.Seconds())
		}
		fmt.Fprintf(os.Stderr, "mutate: [%d/%d] %-56s %-10s %s%s\n", i+1, len(todo), v.m.id, v.status, v.by, took)
	})
	if err := <-baseline; err != nil {
		return err
	}
	if interrupted.Err() != nil {
		return errors.New("interrupted")
	}
	table := render(results, time.Since(start))
	fmt.Print(table)
	if *mdFlag != "" {
		if err := pprofkit.WriteBytes(*mdFlag, []byte(table)); err != nil {
			return err
		}
	}
	if *updateHints && *hintsFlag != "" {
		if err := pprofkit.WriteBytes(*hintsFlag, hinted.update(results).marshal()); err != nil {
			return err
		}
	}
	var unjudged []string
	for _, v := range results {
		if v.status == "unjudged" {
			unjudged = append(unjudged, v.by)
		}
	}
	if len(unjudged) > 0 {
		return errors.New(strings.Join(unjudged, "; "))
	}
	for _, v := range results {
		if v.status == "SURVIVED" || v.status == "no-compile" || v.status == "hang" {
			return errFailed
		}
	}
	return nil
}

// testedBy returns, for a file of the module, the directories of the
// packages whose test binaries link the file's package: its own first.
func testedBy(root string) (func(file string) []string, error) {
	pkgs, err := gotool.List(context.Background(), root, []string{"-test"}, "./...")
	if err != nil {
		return nil, fmt.Errorf("go list: %w", err)
	}
	linked := map[string][]string{} // import path → test binaries' packages
	mod := ""
	for _, p := range pkgs {
		if !strings.HasSuffix(p.ImportPath, ".test") || p.Module == nil {
			continue
		}
		mod = p.Module.Path
		pkg := strings.TrimSuffix(p.ImportPath, ".test")
		for _, d := range p.Deps {
			d, _, _ = strings.Cut(d, " ")
			linked[d] = append(linked[d], pkg)
		}
		linked[pkg] = append(linked[pkg], pkg)
	}
	return func(file string) []string {
		own := mod + "/" + filepath.ToSlash(filepath.Dir(file))
		var dirs []string
		for _, p := range linked[own] {
			dir := "./" + strings.TrimPrefix(strings.TrimPrefix(p, mod), "/")
			if p == own {
				dirs = append([]string{dir}, dirs...)
			} else if !slices.Contains(dirs, dir) {
				dirs = append(dirs, dir)
			}
		}
		return dirs
	}, nil
}

// errFailed reports that a mutation survived or did not compile.
var errFailed = errors.New("a mutation survived or did not compile")
