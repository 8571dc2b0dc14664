// Command mutate checks that the test suite catches concurrency bugs: it
// injects each mutation of its table (a removed lock, a missing Done, close,
// Signal or Release, and so on) into a copy of the source tree, one at a
// time, runs the tests on the copy and reports which test failed, if any.
// The work tree itself is never modified.
//
// Usage, from the module's root (scripts/mutate runs it):
//
//	go run ./internal/mutate [-run REGEXP] [-j N] [-timeout 120s] [-md FILE]
//
// A mutation is caught when the test run fails: a test fails, the test
// binary crashes, or the binary's own -timeout fires on a hang (reported as
// such). It survives when every test passes. A mutation whose code does not
// compile is reported apart, as a fault of the table. Mutations marked
// perf-only are expected to survive: they slow the program down without
// making it wrong, and are not counted.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
)

var (
	runFlag     = flag.String("run", "", "only the mutations whose id matches this regular expression")
	jobs        = flag.Int("j", 2, "mutations tested at once, each in its own copy of the tree")
	timeoutFlag = flag.Duration("timeout", 120*time.Second, "the test binary's -timeout; the run is killed 60s after it")
	mdFlag      = flag.String("md", "", "also write the table, in Markdown, to this file")
	listFlag    = flag.Bool("list", false, "list the mutations, after checking that each applies, and exit")
	pkgs        = []string{"./scenarios/", "./correctness/"}
)

type verdict struct {
	m       mutation
	status  string // caught, SURVIVED, perf-only, no-compile, not-applied
	by      string // the failing tests, or why
	elapsed time.Duration
}

// interrupted is cancelled on SIGINT or SIGTERM: the test runs in progress
// are killed (they run in their own process groups, which a terminal's ^C
// does not reach) and the copies removed before mutate exits.
var interrupted context.Context

func main() {
	flag.Parse()
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
	var todo []mutation
	ids := map[string]bool{}
	for _, m := range mutations {
		if ids[m.id] {
			return fmt.Errorf("mutation id %s used twice", m.id)
		}
		ids[m.id] = true
		if re == nil || re.MatchString(m.id) {
			todo = append(todo, m)
		}
	}
	root, err := os.Getwd()
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		return errors.New("run from the module's root")
	}
	// Every mutation must apply to the pristine sources, exactly once.
	for _, m := range todo {
		if _, err := m.apply(root); err != nil {
			return err
		}
	}
	if *listFlag {
		for _, m := range todo {
			fmt.Printf("%-28s %-24s %s\n", m.id, m.file, m.desc)
		}
		return nil
	}

	start := time.Now()
	n := max(*jobs, 1)
	copies := make(chan string, n)
	for i := range n {
		dir, err := copyTree(root)
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		if i == 0 {
			// The baseline: the unmutated copy must pass, or no verdict means anything.
			fmt.Fprintln(os.Stderr, "mutate: baseline run of the unmutated tree...")
			status, by, _ := testTree(dir)
			if status != "SURVIVED" {
				return fmt.Errorf("the unmutated tree does not pass its tests (%s: %s)", status, by)
			}
		}
		copies <- dir
	}

	results := make([]verdict, len(todo))
	var wg sync.WaitGroup
	var printMu sync.Mutex
	for i, m := range todo {
		if interrupted.Err() != nil {
			break
		}
		dir := <-copies
		wg.Go(func() {
			defer func() { copies <- dir }()
			v := test(dir, m)
			results[i] = v
			printMu.Lock()
			fmt.Fprintf(os.Stderr, "mutate: [%d/%d] %-28s %-10s %s (%.0fs)\n", i+1, len(todo), m.id, v.status, v.by, v.elapsed.Seconds())
			printMu.Unlock()
		})
	}
	wg.Wait()
	if interrupted.Err() != nil {
		return errors.New("interrupted")
	}
	wall := time.Since(start)

	table := render(results, wall)
	fmt.Print(table)
	if *mdFlag != "" {
		if err := os.WriteFile(*mdFlag, []byte(table), 0o644); err != nil {
			return err
		}
	}
	for _, v := range results {
		if v.status == "SURVIVED" || v.status == "no-compile" {
			return errFailed // after the deferred removal of the copies
		}
	}
	return nil
}

// errFailed reports that a mutation survived or did not compile.
var errFailed = errors.New("a mutation survived or did not compile")

// test applies m to the copy in dir, runs the tests and restores the file.
func test(dir string, m mutation) verdict {
	start := time.Now()
	path := filepath.Join(dir, m.file)
	orig, err := os.ReadFile(path)
	if err != nil {
		return verdict{m: m, status: "not-applied", by: err.Error()}
	}
	defer os.WriteFile(path, orig, 0o644)
	mutated, err := m.apply(dir)
	if err != nil {
		return verdict{m: m, status: "not-applied", by: err.Error()}
	}
	if err := os.WriteFile(path, mutated, 0o644); err != nil {
		return verdict{m: m, status: "not-applied", by: err.Error()}
	}
	status, by, _ := testTree(dir)
	if m.perfOnly != "" {
		if status == "SURVIVED" {
			status, by = "perf-only", m.perfOnly
		} else {
			by = "perf-only mutation caught anyway: " + by
		}
	}
	return verdict{m: m, status: status, by: by, elapsed: time.Since(start)}
}

var (
	failRE    = regexp.MustCompile(`(?m)^\s*--- FAIL: (\S+)`)
	timeoutRE = regexp.MustCompile(`(?m)^panic: test timed out after`)
	runningRE = regexp.MustCompile(`(?m)^\s+(Test\S+) \(\S+\)$`)
	panicRE   = regexp.MustCompile(`(?m)^(panic: .*|fatal error: .*)$`)
	pkgFailRE = regexp.MustCompile(`(?m)^FAIL\s+(\S+)\s`)
)

// testTree runs the tests in dir and says whether they caught anything.
func testTree(dir string) (status, by string, out []byte) {
	args := append([]string{"test", "-race", "-short", "-count=1", "-timeout", timeoutFlag.String()}, pkgs...)
	ctx, cancel := context.WithTimeout(interrupted, *timeoutFlag+60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		return "SURVIVED", "hung past the test binary's own timeout (killed from outside)", out
	}
	if err == nil {
		return "SURVIVED", "", out
	}
	if bytes.Contains(out, []byte("[build failed]")) || bytes.Contains(out, []byte("[setup failed]")) {
		return "no-compile", firstLine(out), out
	}
	if timeoutRE.Match(out) {
		// The binary's own timeout: name the tests still running.
		var running []string
		for _, m := range runningRE.FindAllSubmatch(out, -1) {
			running = append(running, string(m[1]))
		}
		return "caught", "hang: test binary timeout in " + strings.Join(topLevel(running), ", "), out
	}
	var failed []string
	for _, m := range failRE.FindAllSubmatch(out, -1) {
		failed = append(failed, string(m[1]))
	}
	if len(failed) > 0 {
		return "caught", strings.Join(topLevel(failed), ", "), out
	}
	if m := panicRE.Find(out); m != nil {
		return "caught", "crash: " + truncate(string(m), 80), out
	}
	if m := pkgFailRE.FindAllSubmatch(out, -1); m != nil {
		return "caught", "FAIL " + string(m[0][1]) + " (" + truncate(lastLines(out, 1), 80) + ")", out
	}
	return "caught", "go test failed: " + truncate(lastLines(out, 1), 80), out
}

// topLevel keeps the distinct tests and drops subtests whose parent is listed.
func topLevel(names []string) []string {
	var parents []string
	seen := map[string]bool{}
	for _, n := range names {
		p, _, _ := strings.Cut(n, "/")
		if !seen[p] {
			seen[p] = true
			parents = append(parents, p)
		}
	}
	slices.Sort(parents)
	if len(parents) > 4 {
		parents = append(parents[:4], fmt.Sprintf("+%d more", len(parents)-4))
	}
	return parents
}

func firstLine(b []byte) string {
	for _, l := range strings.Split(string(b), "\n") {
		if l != "" && !strings.HasPrefix(l, "#") {
			return truncate(l, 100)
		}
	}
	return ""
}

func lastLines(b []byte, n int) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return strings.Join(lines[max(len(lines)-n, 0):], " ")
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// copyTree copies the module (every file Git would track, committed or not)
// to a new temporary directory.
func copyTree(root string) (string, error) {
	out, err := exec.Command("git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		return "", fmt.Errorf("git ls-files: %w", err)
	}
	dir, err := os.MkdirTemp("", "conclab-mutate-")
	if err != nil {
		return "", err
	}
	for _, rel := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		src := filepath.Join(root, rel)
		info, err := os.Lstat(src)
		if errors.Is(err, fs.ErrNotExist) {
			continue // deleted in the work tree, not yet in the index
		}
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		b, err := os.ReadFile(src)
		if err != nil {
			return "", err
		}
		dst := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return "", err
		}
		if err := os.WriteFile(dst, b, info.Mode().Perm()); err != nil {
			return "", err
		}
	}
	return dir, nil
}

// render returns the table of verdicts in Markdown.
func render(vs []verdict, wall time.Duration) string {
	var b strings.Builder
	counts := map[string]int{}
	fmt.Fprintln(&b, "| id | file | mutation | verdict | caught by |")
	fmt.Fprintln(&b, "|---|---|---|---|---|")
	for _, v := range vs {
		counts[v.status]++
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", v.m.id, v.m.file, esc(v.m.desc), v.status, esc(v.by))
	}
	real := len(vs) - counts["perf-only"] - counts["no-compile"] - counts["not-applied"]
	fmt.Fprintf(&b, "\n%d of %d correctness mutations caught, %d survived; %d perf-only (not counted); %d did not compile; %d not applied. Wall time %s.\n",
		counts["caught"], real, counts["SURVIVED"], counts["perf-only"], counts["no-compile"], counts["not-applied"], wall.Round(time.Second))
	return b.String()
}

func esc(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
