package main

import (
	"fmt"
	"slices"
	"strings"
	"sync"
)

// A baseline checks that the tests credited with a catch pass on the
// unmutated tree: a test that fails anyway proves nothing about a mutation.
// Each (package, test) is checked once per run, however many mutations it
// catches; a catch that names no test (a crash, a kill) checks its whole
// packages. Only credited tests are checked: a survivor needs no baseline.
type baseline struct {
	run func(testRun) outcome // runs the unmutated tree (testRun.overlay is empty)

	mu     sync.Mutex
	checks map[string]*check // by pkg + "\x00" + test; test "" is the whole package
}

// A check is one run of the unmutated tree, shared by every (package,
// test) it covers; done is closed once err is set.
type check struct {
	done chan struct{}
	err  error
}

func newBaseline(run func(testRun) outcome) *baseline {
	return &baseline{run: run, checks: map[string]*check{}}
}

// verify runs the tests of pkgs (all of them if tests is empty) on the
// unmutated tree, unless an earlier call did, and returns an error if any
// of them fails. Concurrent calls share their runs.
func (b *baseline) verify(pkgs, tests []string) error { return b.claim(pkgs, tests)() }

// claim is verify in two steps: it claims the checks no earlier call has,
// at once, so that later calls wait for this one's run instead of starting
// their own, and returns the function that runs them and waits for every
// check it needs.
func (b *baseline) claim(pkgs, tests []string) func() error {
	names := tests
	if len(names) == 0 {
		names = []string{""}
	}
	var mine *check
	var waits []*check
	var todoPkgs, todoTests []string
	b.mu.Lock()
	for _, p := range pkgs {
		for _, t := range names {
			key := p + "\x00" + t
			if c, ok := b.checks[key]; ok {
				if !slices.Contains(waits, c) {
					waits = append(waits, c)
				}
				continue
			}
			if mine == nil {
				mine = &check{done: make(chan struct{})}
				waits = append(waits, mine)
			}
			b.checks[key] = mine
			if !slices.Contains(todoPkgs, p) {
				todoPkgs = append(todoPkgs, p)
			}
			if t != "" && !slices.Contains(todoTests, t) {
				todoTests = append(todoTests, t)
			}
		}
	}
	b.mu.Unlock()
	return func() error {
		if mine != nil {
			b.check(mine, todoPkgs, todoTests, len(tests) > 0)
		}
		for _, c := range waits {
			<-c.done
			if c.err != nil {
				return c.err
			}
		}
		return nil
	}
}

// check runs the unmutated tree's tests of pkgs (those named, if named)
// and closes c.done with the answer.
func (b *baseline) check(c *check, pkgs, tests []string, named bool) {
	r := testRun{pkgs: pkgs}
	if named {
		r.run = runRegexp(tests)
	}
	if o := b.run(r); o.status != "SURVIVED" {
		what := "the tests of " + strings.Join(pkgs, " ")
		if named {
			what = strings.Join(tests, ", ") + " in " + strings.Join(pkgs, " ")
		}
		c.err = fmt.Errorf("the unmutated tree fails %s too (%s: %s)", what, o.status, o.by)
	}
	close(c.done)
}
