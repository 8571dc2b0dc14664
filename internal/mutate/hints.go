package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Hints map a mutation's id to the tests that caught it last time. The
// runner runs those tests alone first, in the packages that hold them, and
// only if none fails falls back to every package that links the mutated
// file: a stale hint costs time, never a verdict.
type hints map[string][]string

// readHints reads a hints file, lines "id<TAB>Test1,Test2"; a missing file
// is no hints.
func readHints(path string) (hints, error) {
	h := hints{}
	if path == "" {
		return h, nil
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return h, nil
	}
	if err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, tests, ok := strings.Cut(line, "\t")
		if !ok || id == "" || tests == "" {
			return nil, fmt.Errorf("%s:%d: want id<TAB>Test1,Test2, got %q", path, n, line)
		}
		h[id] = strings.Split(tests, ",")
	}
	return h, sc.Err()
}

// update returns h with the catches of vs: a caught mutation's hint
// becomes the tests that caught it this time; a mutation that now
// survives or hangs loses its hint; the others keep theirs.
func (h hints) update(vs []verdict) hints {
	u := hints{}
	for id, tests := range h {
		u[id] = tests
	}
	for _, v := range vs {
		switch {
		case v.status == "caught" && len(v.tests) > 0:
			u[v.m.id] = v.tests
		case v.status == "SURVIVED" || v.status == "hang":
			delete(u, v.m.id)
		}
	}
	return u
}

// marshal writes h sorted by id, under a header saying what it is.
func (h hints) marshal() []byte {
	var b bytes.Buffer
	b.WriteString("# The tests that caught each mutation in the last run (scripts/mutate -update-hints):\n")
	b.WriteString("# the runner tries them first. A stale line costs time, never a verdict.\n")
	ids := make([]string, 0, len(h))
	for id := range h {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		fmt.Fprintf(&b, "%s\t%s\n", id, strings.Join(h[id], ","))
	}
	return b.Bytes()
}

// A testIndex maps a package directory ("./scenarios") to the names of the
// Test and Example functions its _test.go files declare.
type testIndex map[string]map[string]bool

// indexTests reads the test functions of the packages in dirs.
func indexTests(root string, dirs []string) (testIndex, error) {
	idx := testIndex{}
	fset := token.NewFileSet()
	for _, dir := range dirs {
		names := map[string]bool{}
		files, err := filepath.Glob(filepath.Join(root, dir, "*_test.go"))
		if err != nil {
			return nil, err
		}
		for _, file := range files {
			f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
			if err != nil {
				return nil, err
			}
			for _, d := range f.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil {
					if n := fd.Name.Name; strings.HasPrefix(n, "Test") || strings.HasPrefix(n, "Example") {
						names[n] = true
					}
				}
			}
		}
		idx[dir] = names
	}
	return idx, nil
}

// holding returns the packages of pkgs, in their order, that declare any
// of tests.
func (idx testIndex) holding(tests, pkgs []string) []string {
	var dirs []string
	for _, p := range pkgs {
		for _, t := range tests {
			if idx[p][t] {
				dirs = append(dirs, p)
				break
			}
		}
	}
	return dirs
}
