package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

type verdict struct {
	m       mutation
	status  string   // caught, hang, SURVIVED, equivalent, perf-only, no-compile, not-applied, unjudged, or "… (not run)"
	by      string   // the failing tests, or why
	tests   []string // the tests credited with the catch, for the hints
	how     string   // "hint" when the hinted tests decided it, "full" when every linking package ran
	elapsed time.Duration
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

// A judge decides each mutation's verdict.
type judge struct {
	root, tmp   string
	linkers     func(file string) []string // the packages whose tests link a file, its own first
	index       testIndex
	hints       hints
	equivalent  map[string]string // id → why no test can tell it from the original
	equivalents bool              // run the equivalent and perf-only mutations too
	run         func(testRun) outcome
	base        *baseline
}

// verdict writes m's mutated file to j.tmp and runs the tests against it:
// the hinted tests alone first, if any, then every package that links it.
func (j *judge) verdict(m mutation) verdict {
	start := time.Now()
	v := verdict{m: m}
	if why, ok := j.equivalent[m.id]; ok && !j.equivalents {
		v.status, v.by = "equivalent (not run)", why
		return v
	}
	if m.perfOnly != "" && !j.equivalents {
		v.status, v.by = "perf-only (not run)", m.perfOnly
		return v
	}
	overlay, cleanup, err := j.overlay(m)
	if err != nil {
		v.status, v.by = "not-applied", err.Error()
		return v
	}
	defer cleanup()
	pkgs := j.linkers(m.file)
	o, ran := j.test(m, overlay, pkgs, &v)
	v.status, v.by, v.tests = o.status, o.by, o.tests
	if len(pkgs) == 0 {
		v.by = "no package's tests link " + m.file
	}
	if (o.status == "caught" || o.status == "hang") && j.base != nil {
		credited, tests := j.index.holding(o.tests, ran), o.tests
		// No test named, none found, or a crash of a full run (which may come
		// from any test of it): the whole of the run's packages.
		if len(credited) == 0 || v.how == "full" && strings.HasPrefix(o.by, "crash: ") {
			credited, tests = ran, nil
		}
		if err := j.base.verify(credited, tests); err != nil {
			v.status, v.by = "unjudged", err.Error()
		}
	}
	switch {
	case m.perfOnly != "" && v.status == "SURVIVED":
		v.status, v.by = "perf-only", m.perfOnly
	case m.perfOnly != "":
		v.by = "perf-only mutation caught anyway: " + v.by
	case v.status == "SURVIVED" && j.equivalent[m.id] != "":
		v.status, v.by = "equivalent", j.equivalent[m.id]
	}
	v.elapsed = time.Since(start)
	return v
}

// test runs the hinted tests, then the packages pkgs, own first, and
// returns the first outcome that catches m with the packages that ran.
func (j *judge) test(m mutation, overlay string, pkgs []string, v *verdict) (outcome, []string) {
	if tests := j.hints[m.id]; len(tests) > 0 {
		if dirs := j.index.holding(tests, pkgs); len(dirs) > 0 {
			// A hinted test that hangs or passes proves nothing yet: another
			// test of the full run may fail by name.
			if o := j.run(testRun{overlay: overlay, run: runRegexp(tests), pkgs: dirs}); o.status == "caught" || o.status == "no-compile" {
				v.how = "hint"
				return o, dirs
			}
		}
	}
	v.how = "full"
	if len(pkgs) == 0 {
		return outcome{status: "SURVIVED"}, nil
	}
	o := j.run(testRun{overlay: overlay, pkgs: pkgs[:1]})
	if o.status != "SURVIVED" || len(pkgs) == 1 {
		return o, pkgs[:1]
	}
	return j.run(testRun{overlay: overlay, pkgs: pkgs[1:]}), pkgs[1:]
}

// overlay writes m's mutated file and a go -overlay file naming it.
func (j *judge) overlay(m mutation) (string, func(), error) {
	mutated, err := m.apply(j.root)
	if err != nil {
		return "", nil, err
	}
	name := strings.NewReplacer("/", "_", ":", "_", "#", "_", "*", "_", "(", "_", ")", "_").Replace(m.id)
	file := filepath.Join(j.tmp, name+".go")
	overlay := filepath.Join(j.tmp, name+".json")
	ov, err := json.Marshal(map[string]map[string]string{"Replace": {filepath.Join(j.root, m.file): file}})
	if err != nil {
		return "", nil, err
	}
	if err := os.WriteFile(file, mutated, 0o644); err != nil {
		return "", nil, err
	}
	if err := os.WriteFile(overlay, ov, 0o644); err != nil {
		os.Remove(file)
		return "", nil, err
	}
	return overlay, func() { os.Remove(file); os.Remove(overlay) }, nil
}
