package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/conclab/conclab/internal/gotool"
)

// An outcome is what one go test run says about a mutation.
type outcome struct {
	status string   // caught, hang, SURVIVED or no-compile
	by     string   // the failing tests, or why
	tests  []string // the top-level tests it names (failed, or running at a timeout or crash), if any
}

// testRun is one go test run: the packages' tests matching run (all if
// empty), against the overlay if not empty.
type testRun struct {
	overlay string
	run     string
	pkgs    []string
}

// runTests runs r in root and says whether it caught anything. The run is
// killed at its first failing test: the rest cannot change the verdict.
func runTests(ctx context.Context, root string, r testRun, timeout time.Duration) outcome {
	// -v: without it go test holds a package's output until the package is
	// done, and the first failure could not stop the run. -vet=off: a vet
	// finding is not a test catching the mutation, and vet costs each run
	// about a tenth of its time.
	args := []string{"test", "-v", "-vet=off", "-race", "-short", "-count=1", "-failfast", "-timeout", timeout.String()}
	if r.run != "" {
		args = append(args, "-run", r.run)
	}
	args = append(args, r.pkgs...)
	ctx, cancel := context.WithTimeout(ctx, timeout+30*time.Second)
	defer cancel()
	cmd := gotool.Go(ctx, root, args...)
	if r.overlay != "" {
		cmd.Env = append(cmd.Env, "GOFLAGS=-overlay="+r.overlay)
	}
	cmd.WaitDelay = 5 * time.Second
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		return outcome{status: "no-compile", by: err.Error()}
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

var (
	failRE    = regexp.MustCompile(`(?m)^\s*--- FAIL: (\S+)`)
	timeoutRE = regexp.MustCompile(`(?m)^panic: test timed out after`)
	runningRE = regexp.MustCompile(`(?m)^\s+(Test\S+) \(\S+\)$`)
	panicRE   = regexp.MustCompile(`(?m)^(panic: .*|fatal error: .*)$`)
	pkgFailRE = regexp.MustCompile(`(?m)^FAIL\s+(\S+)\s`)
	// frameRE finds the test in a crash's goroutine trace: a frame of a
	// Test or Example function (or of a closure in it), or the test that
	// created the crashing goroutine.
	startedRE = regexp.MustCompile(`(?m)^=== (?:RUN|CONT)\s+(\S+)`)
	frameRE   = regexp.MustCompile(`(?m)^(?:created by )?\S+?\.((?:Test|Example)[A-Za-z0-9_]*)(?:\.func\d+)*(?:\(| in goroutine)`)
)

// verdictOf reads a go test run's output and error.
func verdictOf(out []byte, err error, killed bool) outcome {
	if killed {
		return outcome{status: "hang", by: "killed from outside, past the test binary's own timeout"}
	}
	if err == nil {
		return outcome{status: "SURVIVED"}
	}
	if bytes.Contains(out, []byte("[build failed]")) || bytes.Contains(out, []byte("[setup failed]")) {
		return outcome{status: "no-compile", by: truncate(gotool.FirstLine(string(out), nil), 100)}
	}
	if timeoutRE.Match(out) {
		var running []string
		for _, m := range runningRE.FindAllSubmatch(out, -1) {
			running = append(running, string(m[1]))
		}
		running = topLevel(running)
		return outcome{status: "hang", by: "test binary timeout in " + strings.Join(shorten(running), ", "), tests: running}
	}
	var failed []string
	for _, m := range failRE.FindAllSubmatch(out, -1) {
		failed = append(failed, string(m[1]))
	}
	if len(failed) > 0 {
		failed = topLevel(failed)
		return outcome{status: "caught", by: strings.Join(shorten(failed), ", "), tests: failed}
	}
	if loc := panicRE.FindIndex(out); loc != nil {
		o := outcome{status: "caught", by: "crash: " + truncate(string(out[loc[0]:loc[1]]), 80)}
		if m := frameRE.FindSubmatch(out[loc[1]:]); m != nil {
			o.tests = []string{string(m[1])}
		} else if ms := startedRE.FindAllSubmatch(out[:loc[0]], -1); ms != nil {
			// A goroutine the test did not start itself: the test last
			// started or resumed is the best guess (for a hint, which a
			// wrong guess only makes slower).
			o.tests = topLevel([]string{string(ms[len(ms)-1][1])})
		}
		return o
	}
	if m := pkgFailRE.FindAllSubmatch(out, -1); m != nil {
		return outcome{status: "caught", by: "FAIL " + string(m[0][1]) + " (" + truncate(lastLines(out, 1), 80) + ")"}
	}
	return outcome{status: "caught", by: "go test failed: " + truncate(lastLines(out, 1), 80)}
}

// topLevel keeps the distinct tests, sorted, and drops subtests whose parent is listed.
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
	return parents
}

// shorten keeps the first four names for a table cell.
func shorten(names []string) []string {
	if len(names) > 4 {
		return append(slices.Clone(names[:4]), fmt.Sprintf("+%d more", len(names)-4))
	}
	return names
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

// runRegexp is a -run pattern matching exactly the named top-level tests.
func runRegexp(tests []string) string {
	q := make([]string, len(tests))
	for i, t := range tests {
		q[i] = regexp.QuoteMeta(t)
	}
	return "^(" + strings.Join(q, "|") + ")$"
}
