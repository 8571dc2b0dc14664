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
//
// Each mutation runs only the packages whose test binaries link the
// mutated package, its own first, with -failfast; the first failing test
// stops the run. A mutation is caught when a test fails or the test binary
// crashes; a catch by the test binary's -timeout is reported apart as a
// hang (a hang should be a named failure: a synctest deadlock or a
// watchdog). It survives when every test passes, unless docs/mutation.md
// lists it as equivalent, with its reason. A mutation whose code does not
// compile is reported apart, as a fault of the rules.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
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
	jobs        = flag.Int("j", 2, "mutations tested at once")
	timeoutFlag = flag.Duration("timeout", 90*time.Second, "the test binary's -timeout; the run is killed 30s after it")
	mdFlag      = flag.String("md", "", "also write the table, in Markdown, to this file")
	listFlag    = flag.Bool("list", false, "list the mutations, after checking that each applies, and exit")
	dirs        = []string{"scenarios", "internal", "cmd"}
)

type verdict struct {
	m       mutation
	status  string // caught, hang, SURVIVED, equivalent, perf-only, no-compile, not-applied
	by      string // the failing tests, or why
	elapsed time.Duration
}

// interrupted is cancelled on SIGINT or SIGTERM: the test runs in progress
// are killed (they run in their own process groups, which a terminal's ^C
// does not reach) before mutate exits.
var interrupted = context.Background()

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
			fmt.Printf("%-48s %s\n", m.id, m.desc)
		}
		return nil
	}
	equivalent, err := readEquivalents(filepath.Join(root, "docs", "mutation.md"))
	if err != nil {
		return err
	}
	linkers, err := testedBy(root)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "conclab-mutate-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	start := time.Now()
	// The baseline: the unmutated packages must pass, or no verdict means anything.
	var all []string
	for _, m := range todo {
		for _, p := range linkers(m.file) {
			if !slices.Contains(all, p) {
				all = append(all, p)
			}
		}
	}
	fmt.Fprintf(os.Stderr, "mutate: baseline run of %d packages...\n", len(all))
	if status, by := testPackage(root, "", all...); status != "SURVIVED" {
		return fmt.Errorf("the unmutated tree does not pass its tests (%s: %s)", status, by)
	}

	results := runAll(interrupted, todo, *jobs, func(m mutation) verdict {
		v := test(root, tmp, m, linkers(m.file))
		if why, ok := equivalent[m.id]; ok && v.status == "SURVIVED" {
			v.status, v.by = "equivalent", why
		}
		return v
	}, func(i int, v verdict) {
		fmt.Fprintf(os.Stderr, "mutate: [%d/%d] %-48s %-10s %s (%.0fs)\n", i+1, len(todo), v.m.id, v.status, v.by, v.elapsed.Seconds())
	})
	if interrupted.Err() != nil {
		return errors.New("interrupted")
	}
	table := render(results, time.Since(start))
	fmt.Print(table)
	if *mdFlag != "" {
		if err := writeFile(*mdFlag, []byte(table)); err != nil {
			return err
		}
	}
	for _, v := range results {
		if v.status == "SURVIVED" || v.status == "no-compile" || v.status == "hang" {
			return errFailed
		}
	}
	return nil
}

// runAll tests the mutations, jobs at a time, and returns their verdicts
// in todo's order once every test has returned. report is called once for
// each verdict as it comes, never twice at once. Once ctx is done no
// mutation is started.
func runAll(ctx context.Context, todo []mutation, jobs int, test func(mutation) verdict, report func(i int, v verdict)) []verdict {
	results := make([]verdict, len(todo))
	slots := make(chan struct{}, max(jobs, 1))
	var wg sync.WaitGroup
	var printMu sync.Mutex
	for i, m := range todo {
		if ctx.Err() != nil {
			break
		}
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			v := test(m)
			results[i] = v
			printMu.Lock()
			report(i, v)
			printMu.Unlock()
		})
	}
	wg.Wait()
	return results
}

// writeFile writes b to a temporary file beside path, then renames it.
func writeFile(path string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".mutate-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// readEquivalents reads the mutations docs/mutation.md marks equivalent:
// the lines "- `ID`: reason" of its section "## Equivalent mutations".
func readEquivalents(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	eq := map[string]string{}
	in := false
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "## ") {
			in = strings.TrimSpace(line) == "## Equivalent mutations"
			continue
		}
		if m := equivRE.FindStringSubmatch(line); in && m != nil {
			eq[m[1]] = m[2]
		}
	}
	return eq, nil
}

var equivRE = regexp.MustCompile("^- `([^`]+)`: (.+)$")

// testedBy returns, for a file of the module, the directories of the
// packages whose test binaries link the file's package: its own first.
func testedBy(root string) (func(file string) []string, error) {
	cmd := exec.Command("go", "list", "-test", "-f", "{{.ImportPath}}|{{.Module.Path}}|{{join .Deps \" \"}}", "./...")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %w", err)
	}
	linked := map[string][]string{} // import path → test binaries' packages
	mod := ""
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.SplitN(line, "|", 3)
		if len(f) < 3 || !strings.HasSuffix(f[0], ".test") {
			continue
		}
		mod = f[1]
		pkg := strings.TrimSuffix(f[0], ".test")
		for _, d := range strings.Fields(f[2]) {
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

// test writes m's mutated file to tmp and runs pkgs against it.
func test(root, tmp string, m mutation, pkgs []string) verdict {
	start := time.Now()
	mutated, err := m.apply(root)
	if err != nil {
		return verdict{m: m, status: "not-applied", by: err.Error()}
	}
	name := strings.NewReplacer("/", "_", ":", "_", "#", "_").Replace(m.id)
	file := filepath.Join(tmp, name+".go")
	overlay := filepath.Join(tmp, name+".json")
	ov, _ := json.Marshal(map[string]map[string]string{"Replace": {filepath.Join(root, m.file): file}})
	if err := os.WriteFile(file, mutated, 0o644); err != nil {
		return verdict{m: m, status: "not-applied", by: err.Error()}
	}
	if err := os.WriteFile(overlay, ov, 0o644); err != nil {
		return verdict{m: m, status: "not-applied", by: err.Error()}
	}
	defer os.Remove(file)
	defer os.Remove(overlay)
	if len(pkgs) == 0 {
		return verdict{m: m, status: "SURVIVED", by: "no package's tests link " + m.file, elapsed: time.Since(start)}
	}
	status, by := testPackages(root, overlay, pkgs)
	if m.perfOnly != "" {
		if status == "SURVIVED" {
			status, by = "perf-only", m.perfOnly
		} else {
			by = "perf-only mutation caught anyway: " + by
		}
	}
	return verdict{m: m, status: status, by: by, elapsed: time.Since(start)}
}

// testPackages runs the tests of pkgs, with the overlay if not empty: the
// first package alone (the mutated one, which most often catches it), then
// the others in one go test, and stops at the first that catches anything.
func testPackages(root, overlay string, pkgs []string) (status, by string) {
	if len(pkgs) == 0 {
		return "SURVIVED", ""
	}
	if status, by = testPackage(root, overlay, pkgs[:1]...); status != "SURVIVED" || len(pkgs) == 1 {
		return status, by
	}
	return testPackage(root, overlay, pkgs[1:]...)
}

var (
	failRE    = regexp.MustCompile(`(?m)^\s*--- FAIL: (\S+)`)
	timeoutRE = regexp.MustCompile(`(?m)^panic: test timed out after`)
	runningRE = regexp.MustCompile(`(?m)^\s+(Test\S+) \(\S+\)$`)
	panicRE   = regexp.MustCompile(`(?m)^(panic: .*|fatal error: .*)$`)
	pkgFailRE = regexp.MustCompile(`(?m)^FAIL\s+(\S+)\s`)
)

// testPackage runs the tests of pkgs and says whether they caught
// anything. The run is killed at its first failing test.
func testPackage(root, overlay string, pkgs ...string) (status, by string) {
	// -v: without it go test holds a package's output until the package is
	// done, and the first failure could not stop the run.
	args := append([]string{"test", "-v", "-race", "-short", "-count=1", "-failfast", "-timeout", timeoutFlag.String()}, pkgs...)
	ctx, cancel := context.WithTimeout(interrupted, *timeoutFlag+30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = root
	cmd.Env = os.Environ()
	if overlay != "" {
		cmd.Env = append(cmd.Env, "GOFLAGS=-overlay="+overlay)
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		return "no-compile", err.Error()
	}
	var out bytes.Buffer
	firstFail := make(chan struct{})
	scanned := make(chan struct{})
	go func() {
		defer close(scanned)
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		failed := false
		for sc.Scan() {
			out.Write(sc.Bytes())
			out.WriteByte('\n')
			if !failed && failRE.Match(sc.Bytes()) {
				failed = true
				close(firstFail)
			}
		}
		io.Copy(io.Discard, pr)
	}()
	waited := make(chan error, 1)
	go func() {
		err := cmd.Wait()
		pw.Close()
		waited <- err
	}()
	var err error
	select {
	case err = <-waited:
	case <-firstFail:
		cancel() // caught: the rest of the run cannot change the verdict
		err = <-waited
	}
	<-scanned
	return verdictOf(out.Bytes(), err, ctx.Err() != nil && !failRE.Match(out.Bytes()))
}

// verdictOf reads a go test run's output and error.
func verdictOf(out []byte, err error, killed bool) (status, by string) {
	if killed {
		return "hang", "killed from outside, past the test binary's own timeout"
	}
	if err == nil {
		return "SURVIVED", ""
	}
	if bytes.Contains(out, []byte("[build failed]")) || bytes.Contains(out, []byte("[setup failed]")) {
		return "no-compile", firstLine(out)
	}
	var failed []string
	for _, m := range failRE.FindAllSubmatch(out, -1) {
		failed = append(failed, string(m[1]))
	}
	if timeoutRE.Match(out) {
		var running []string
		for _, m := range runningRE.FindAllSubmatch(out, -1) {
			running = append(running, string(m[1]))
		}
		return "hang", "test binary timeout in " + strings.Join(topLevel(running), ", ")
	}
	if len(failed) > 0 {
		return "caught", strings.Join(topLevel(failed), ", ")
	}
	if m := panicRE.Find(out); m != nil {
		return "caught", "crash: " + truncate(string(m), 80)
	}
	if m := pkgFailRE.FindAllSubmatch(out, -1); m != nil {
		return "caught", "FAIL " + string(m[0][1]) + " (" + truncate(lastLines(out, 1), 80) + ")"
	}
	return "caught", "go test failed: " + truncate(lastLines(out, 1), 80)
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
	real := len(vs) - counts["perf-only"] - counts["equivalent"] - counts["no-compile"] - counts["not-applied"]
	fmt.Fprintf(&b, "\n%d of %d correctness mutations caught by a failing test, %d only by a timeout (hang), %d survived; %d equivalent and %d perf-only (not counted); %d did not compile; %d not applied. Wall time %s.\n",
		counts["caught"], real, counts["hang"], counts["SURVIVED"], counts["equivalent"], counts["perf-only"], counts["no-compile"], counts["not-applied"], wall.Round(time.Second))
	return b.String()
}

func esc(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
