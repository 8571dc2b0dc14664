package hunt

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/conclab/conclab/internal/hunt/instrument/rt"
)

// The releasable rule reads the test's own source: which call started a
// leaked goroutine, on which variable, and whether the function that
// declares it ever calls a release method on it.

// releasableBy says which call of the test started g through something the
// test never released, or "" when it was not.
func releasableBy(g *rt.Goroutine) string {
	chain := g.CreationChain()
	at := slices.IndexFunc(chain, func(fr rt.Frame) bool { return strings.HasSuffix(fr.File, "_test.go") })
	if at <= 0 {
		return "" // started by the test's own go statement, or from outside any test
	}
	callee, site := chain[at-1], chain[at]
	methods := releasers(callee)
	if len(methods) == 0 {
		return ""
	}
	test, line, released := releasedAt(site.File, site.Line, lastName(callee.Func), methods)
	if test == "" || released {
		return "" // no test function there, or the test releases it: the goroutine outlived that
	}
	return fmt.Sprintf("goroutine %d was started by %s, called at %s:%d in %s, whose result the test never releases (%s)",
		g.ID, shortFunc(callee.Func), filepath.Base(site.File), line, test, strings.Join(methods, ", "))
}

// releasers returns the release methods of the type that fn belongs to (a
// method's receiver) or builds (a function's first result), found in the
// sources of fn's directory.
func releasers(fn rt.Frame) []string {
	name := shortFunc(fn.Func)
	if k := strings.IndexByte(name, '.'); k >= 0 {
		name = name[k+1:] // drop the package name
	}
	name = genericArgs.ReplaceAllString(name, "")
	files := parseDir(filepath.Dir(fn.File), false)
	var typ string
	switch recv, method, ok := strings.Cut(name, "."); {
	case ok && strings.HasPrefix(method, "func"):
		typ = resultType(files, recv) // a closure of the function the test called
	case ok:
		typ = strings.Trim(recv, "(*)")
	default:
		typ = resultType(files, name)
	}
	if typ == "" {
		return nil
	}
	var found []string
	for _, file := range files {
		for _, d := range file.Decls {
			if gd, ok := d.(*ast.GenDecl); ok {
				found = append(found, interfaceReleasers(gd, typ)...)
				continue
			}
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil || len(fd.Recv.List) == 0 || !slices.Contains(releaseMethods, fd.Name.Name) {
				continue
			}
			if typeName(fd.Recv.List[0].Type) == typ && !slices.Contains(found, fd.Name.Name) {
				found = append(found, fd.Name.Name)
			}
		}
	}
	slices.Sort(found)
	return slices.Compact(found)
}

// interfaceReleasers returns the release methods of interface typ if gd
// declares it: a constructor may return one.
func interfaceReleasers(gd *ast.GenDecl, typ string) []string {
	var found []string
	for _, sp := range gd.Specs {
		ts, ok := sp.(*ast.TypeSpec)
		if !ok || ts.Name.Name != typ {
			continue
		}
		it, ok := ts.Type.(*ast.InterfaceType)
		if !ok {
			continue
		}
		for _, m := range it.Methods.List {
			for _, n := range m.Names {
				if slices.Contains(releaseMethods, n.Name) {
					found = append(found, n.Name)
				}
			}
		}
	}
	return found
}

var genericArgs = regexp.MustCompile(`\[[^\]]*\]`)

// resultType is the type name of function fn's first result in files.
func resultType(files []*ast.File, fn string) string {
	for _, file := range files {
		for _, d := range file.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == fn && fd.Type.Results != nil && len(fd.Type.Results.List) > 0 {
				return typeName(fd.Type.Results.List[0].Type)
			}
		}
	}
	return ""
}

// typeName is T for T, *T, T[K, V] and *T[K].
func typeName(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.StarExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.Ident:
			return x.Name
		default:
			return ""
		}
	}
}

// parseDir parses the Go files of dir, the _test.go files or the others.
func parseDir(dir string, tests bool) []*ast.File {
	names, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") != tests {
			continue
		}
		if f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.SkipObjectResolution); err == nil {
			files = append(files, f)
		}
	}
	return files
}

// lastName is the function or method name of a frame's function: "Go"
// for "pkg.(*Pool[...]).Go", "New" for "pkg.New".
func lastName(fn string) string {
	fn = genericArgs.ReplaceAllString(shortFunc(fn), "")
	return fn[strings.LastIndexByte(fn, '.')+1:]
}

// releasedAt reads the call of callee at file:line that started a
// goroutine (or on the line before: a creator's stack under
// tracebackancestors gives the return address, which may be the next
// line), and says which top-level function holds it, on which line, and
// whether the value the call is on
// (g in g.Go(f)) or returns (p in p := New()) is released by one of
// methods: in the innermost function that declares that variable, or,
// when none does (a field, a parameter), anywhere in the top-level
// function.
func releasedAt(file string, line int, callee string, methods []string) (string, int, bool) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
	if err != nil {
		return "", line, false
	}
	calls := func(l int) bool {
		found := false
		ast.Inspect(f, func(n ast.Node) bool {
			if c, ok := n.(*ast.CallExpr); ok && fset.Position(c.Pos()).Line <= l && l <= fset.Position(c.End()).Line {
				switch fn := c.Fun.(type) {
				case *ast.SelectorExpr:
					found = found || fn.Sel.Name == callee
				case *ast.Ident:
					found = found || fn.Name == callee
				case *ast.IndexExpr: // New[int]()
					if id, ok := fn.X.(*ast.Ident); ok {
						found = found || id.Name == callee
					}
				}
			}
			return !found
		})
		return found
	}
	if !calls(line) && line > 1 && calls(line-1) {
		line--
	}
	var top *ast.FuncDecl
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil && fset.Position(fd.Pos()).Line <= line && line <= fset.Position(fd.End()).Line {
			top = fd
		}
	}
	if top == nil {
		return "", line, false
	}
	var scopes []ast.Node // the functions around line, outermost first
	name := ""
	ast.Inspect(top, func(n ast.Node) bool {
		if n == nil || fset.Position(n.Pos()).Line > line || fset.Position(n.End()).Line < line {
			return n == nil
		}
		switch x := n.(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			scopes = append(scopes, n)
		case *ast.AssignStmt:
			if fset.Position(x.Pos()).Line == line && len(x.Lhs) > 0 && name == "" {
				if id, ok := x.Lhs[0].(*ast.Ident); ok && name == "" {
					name = id.Name
				}
			}
		case *ast.CallExpr:
			if sel, ok := x.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == callee && fset.Position(x.Pos()).Line == line && name == "" {
				if id, ok := sel.X.(*ast.Ident); ok {
					name = id.Name
				}
			}
		}
		return true
	})
	for i := len(scopes) - 1; i >= 0 && name != ""; i-- {
		if declares(scopes[i], name) {
			return top.Name.Name, line, releases(scopes[i], name, methods)
		}
	}
	return top.Name.Name, line, releases(top, "", methods)
}

// declares reports whether fn declares name (name := ..., var name) in its
// own body or parameters.
func declares(fn ast.Node, name string) bool {
	found := false
	ast.Inspect(fn, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			if x != fn {
				return false // a nested function's declarations are its own
			}
		case *ast.AssignStmt:
			if x.Tok == token.DEFINE {
				for _, l := range x.Lhs {
					if id, ok := l.(*ast.Ident); ok && id.Name == name {
						found = true
					}
				}
			}
		case *ast.ValueSpec:
			for _, id := range x.Names {
				if id.Name == name {
					found = true
				}
			}
		case *ast.Field:
			for _, id := range x.Names {
				if id.Name == name {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// releases reports whether fn selects one of methods (x.Close(), defer
// p.Release(), t.Cleanup(c.Stop)) on name, or on anything when name is "".
func releases(fn ast.Node, name string, methods []string) bool {
	found := false
	ast.Inspect(fn, func(n ast.Node) bool {
		if s, ok := n.(*ast.SelectorExpr); ok && slices.Contains(methods, s.Sel.Name) {
			if id, ok := s.X.(*ast.Ident); name == "" || ok && id.Name == name {
				found = true
			}
		}
		return !found
	})
	return found
}
