package main

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/conclab/conclab/scenarios"
)

// fuzzSizeCap bounds every number on a fuzzed command line, so that a
// fuzzed run stays tiny: -workers 9999 -items 67108864 would be a valid
// hour-long run, not a parsing bug.
const fuzzSizeCap = 16

// fuzzRunTimeout is appended to every fuzzed run as -timeout, after the
// fuzzed flags so that it wins, and bounds what a run may wait for.
const fuzzRunTimeout = "50ms"

// FuzzMainArgs feeds conclab's command line parser arbitrary arguments (the
// fuzzed string split on spaces) and requires that Main never panics, exits
// 0, 1 or 2 only, and says why on stderr whenever it fails. Commands that
// touch the file system or stdin (profile, report, worker, diff) are not
// fuzzed.
func FuzzMainArgs(f *testing.F) {
	for _, seed := range []string{
		"", "help", "-h", "frobnicate", "list", "list -v", "list x", "list -v=false extra",
		"run", "run nope", "run counter-mutx", "run -h",
		"run counter-mutex -workers 3 -items 7",
		"run -serial counter-atomic -workers 2 -items 5",
		"run counter-mutex -workers 0", "run counter-mutex -items -3",
		"run counter-mutex -latency xyz", "run counter-mutex -latency -1s",
		"run counter-mutex -wrokers 3", "run counter-mutex extra",
		"run counter-mutex -cpu 0", "run counter-mutex -cpu 2 -workers 4 -items 9",
		"run counter-mutex -backend ftp", "run counter-mutex -- -workers 3",
		"run counter-channel -workers=2 -items=3", "run -workers 2 counter-sharded -items 1",
		"run counter-mutex -timeout -1s", "run counter-mutex -limit 3 -work 5",
	} {
		f.Add(seed)
	}
	seedValue := map[string]string{"latency": "1ms", "backend": "memory"}
	for _, s := range scenarios.All() { // every scenario, with the flags it reads, so that mutations reach each one's flags
		line := "run " + s.Name
		for _, name := range s.Reads.Names() {
			v, ok := seedValue[name]
			if !ok {
				v = "2"
			}
			line += " -" + name + " " + v
		}
		f.Add(line)
		f.Add("run -serial " + s.Name + " -items 1")
	}
	f.Fuzz(func(t *testing.T, line string) {
		args := strings.Fields(line)
		if len(args) > 0 {
			switch args[0] {
			case "profile", "report", "worker", "diff":
				t.Skip("writes files or serves stdin: not fuzzed")
			case "hunt":
				t.Skip("builds and runs the packages of the current directory: not fuzzed")
			}
		}
		for _, a := range args {
			if _, v, ok := strings.Cut(a, "="); ok {
				a = v
			}
			if n, err := strconv.ParseInt(a, 0, 64); err == nil && n > fuzzSizeCap {
				t.Skip("sizes above", fuzzSizeCap, "make a slow run, not a parsing case")
			}
		}
		if len(args) > 0 && args[0] == "run" {
			args = append(args, "-timeout", fuzzRunTimeout)
		}
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		var stdout, stderr bytes.Buffer
		code := Main(ctx, args, &stdout, &stderr)
		switch code {
		case 0:
		case 1, 2:
			if stderr.Len() == 0 {
				t.Errorf("Main(%q) exited %d with nothing on stderr", args, code)
			}
			if len(args) > 0 && strings.Count(stderr.String(), "\n") != 1 {
				t.Errorf("Main(%q) exited %d: want one line on stderr, got %q", args, code, stderr.String())
			}
		default:
			t.Errorf("Main(%q) exited %d: want 0, 1 or 2", args, code)
		}
	})
}
