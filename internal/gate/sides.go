package gate

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	decide "github.com/conclab/conclab/perf/gate"

	"github.com/conclab/conclab/internal/gotool"
)

// side is one package's test binary on both sides.
type side struct {
	pkg      pkg
	old, new decide.Binary
	hasOld   bool
	why      string // why there is no old binary
}

// runner dispatches each benchmark to its package's binaries.
type runner struct {
	execs map[string]*decide.Exec
	names map[string]string // display name → benchmark name
}

func (r *runner) Run(ctx context.Context, s decide.Side, name string) (float64, error) {
	return r.execs[name].Run(ctx, s, r.names[name])
}

// packages are the work tree's packages with tests.
func (opts *Options) packages(ctx context.Context) ([]pkg, error) {
	all, err := goList(ctx, opts.Dir, opts.Patterns, false)
	if err != nil {
		return nil, err
	}
	var pkgs []pkg
	for _, p := range all {
		if p.HasTests() {
			pkgs = append(pkgs, p)
		}
	}
	if len(pkgs) == 0 {
		return nil, gotool.Usagef("%s: no test files, so no benchmarks", strings.Join(opts.Patterns, " "))
	}
	return pkgs, nil
}

// setUp applies the defaults, checks -bench, lists the work tree's
// packages with tests and makes the directory their test binaries go in;
// the caller removes it.
func (opts *Options) setUp(ctx context.Context, prefix string) (pkgs []pkg, tmp string, err error) {
	opts.defaults()
	if err := checkBench(opts.Bench); err != nil {
		return nil, "", err
	}
	if pkgs, err = opts.packages(ctx); err != nil {
		return nil, "", err
	}
	tmp, err = os.MkdirTemp("", prefix)
	return pkgs, tmp, err
}

// build compiles every package's test binary in the work tree and, where
// the package exists there, at the base.
func build(ctx context.Context, opts Options, pkgs []pkg, tmp, baseDir, label string) ([]side, error) {
	var paths []string
	for _, p := range pkgs {
		paths = append(paths, p.ImportPath)
	}
	basePkgs, err := goList(ctx, baseDir, paths, true)
	if err != nil {
		return nil, gotool.Usagef("-base %s: %v", label, err)
	}
	at := map[string]pkg{}
	for _, p := range basePkgs {
		at[p.ImportPath] = p
	}
	var sides []side
	for i, p := range pkgs {
		s := side{pkg: p}
		s.new = decide.Binary{Path: filepath.Join(tmp, fmt.Sprintf("new-%d.test", i)), Dir: p.Dir}
		if err := buildTest(ctx, opts.Dir, p.ImportPath, s.new.Path); err != nil {
			return nil, gotool.Usagef("%s does not build in the work tree: %v", p.ImportPath, err)
		}
		switch b, ok := at[p.ImportPath]; {
		case !ok || b.Error != nil:
			s.why = fmt.Sprintf("the base %s has no package %s", label, p.ImportPath)
		case !b.HasTests():
			s.why = fmt.Sprintf("the package has no tests at the base %s", label)
		default:
			s.old = decide.Binary{Path: filepath.Join(tmp, fmt.Sprintf("old-%d.test", i)), Dir: b.Dir}
			if err := buildTest(ctx, baseDir, p.ImportPath, s.old.Path); err != nil {
				return nil, gotool.Usagef("-base %s: %s does not build: %v", label, p.ImportPath, err)
			}
			s.hasOld = true
		}
		sides = append(sides, s)
	}
	return sides, nil
}

// list finds the benchmarks of each side, names those on one side only,
// and returns the runner of those on both. A benchmark's name is its
// package's import path and its own when more than one package has
// benchmarks.
func (opts *Options) list(ctx context.Context, sides []side, res *Result) (*runner, []string, error) {
	type listed struct {
		e        *decide.Exec
		old, new []string
		oldErr   error
		side     side
	}
	var ls []listed
	withBench := 0
	for _, s := range sides {
		l := listed{e: &decide.Exec{Old: s.old, New: s.new, Benchtime: opts.Benchtime, Reps: opts.Reps}, side: s}
		var err error
		if l.new, _, err = l.e.List(ctx, decide.New, opts.Bench); err != nil {
			return nil, nil, fmt.Errorf("a benchmark of %s fails in the work tree: %w", s.pkg.ImportPath, err)
		}
		if len(l.new) == 0 {
			continue
		}
		withBench++
		if s.hasOld {
			l.old, _, l.oldErr = l.e.List(ctx, decide.Old, opts.Bench)
		}
		ls = append(ls, l)
	}
	if withBench == 0 {
		return nil, nil, gotool.Usagef("no benchmark matches -bench %q in %s", opts.Bench, strings.Join(opts.Patterns, " "))
	}
	r := &runner{execs: map[string]*decide.Exec{}, names: map[string]string{}}
	var names []string
	for _, l := range ls {
		display := func(n string) string {
			if withBench == 1 {
				return n
			}
			return l.side.pkg.ImportPath + "." + n
		}
		switch {
		case !l.side.hasOld:
			for _, n := range l.new {
				res.NewOnly = append(res.NewOnly, fmt.Sprintf("%s: new side only (%s): not gated", display(n), l.side.why))
			}
			continue
		case l.oldErr != nil:
			for _, n := range l.new {
				res.NewOnly = append(res.NewOnly, fmt.Sprintf("%s: not gated: the base's benchmarks of %s fail, nothing to compare against (%v)", display(n), l.side.pkg.ImportPath, l.oldErr))
			}
			continue
		}
		for _, n := range l.old {
			if !slices.Contains(l.new, n) {
				res.OldOnly = append(res.OldOnly, fmt.Sprintf("%s: old side only (removed or renamed): not gated", display(n)))
			}
		}
		for _, n := range l.new {
			if !slices.Contains(l.old, n) {
				res.NewOnly = append(res.NewOnly, fmt.Sprintf("%s: new side only (added since the base): not gated", display(n)))
				continue
			}
			d := display(n)
			r.execs[d], r.names[d] = l.e, n
			names = append(names, d)
		}
	}
	return r, names, nil
}
