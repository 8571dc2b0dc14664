package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// span replaces the bytes [off, end) of a file with text.
type span struct {
	off, end int
	text     string
}

// generate returns the mutations that the AST rules find in every non-test
// Go file below the directories dirs of root (testdata excepted): each
// Lock/Unlock pair removed, each Done, Add, Wait, close, Signal, Broadcast,
// Release and cancel call statement removed, each Broadcast turned into a
// Signal, and each `for cond { … Wait() }` turned into an `if`. A removed
// call becomes `_ = []any{recv, args…}`, so that no variable goes unused.
// A mutation's id is file:Decl:rule, with #2, #3, … for the second and
// later of one rule in one declaration (in source order).
//
// A file the default build leaves out (a build tag, another GOOS) is
// skipped: no test of this build compiles it, so none could catch its
// mutations. The hooks of internal/hunt/instrument/rt are such files: they
// reach a binary only embedded by package instrument, and go -overlay does
// not reach what go:embed reads (golang/go#59406).
func generate(root string, dirs []string) ([]mutation, error) {
	var ms []mutation
	for _, dir := range dirs {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if d.Name() == "testdata" {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			if ok, err := build.Default.MatchFile(filepath.Dir(path), d.Name()); err != nil || !ok {
				return err
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			rel, err := filepath.Rel(root, path)
			if err != nil {
				return err
			}
			fm, err := fileMutations(filepath.ToSlash(rel), src)
			ms = append(ms, fm...)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return ms, nil
}

// fileMutations applies the rules to one file.
func fileMutations(rel string, src []byte) ([]mutation, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, rel, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var ms []mutation
	fn := "" // the declaration being walked: Func, (*T).Method, or a var's name
	seen := map[string]int{}
	add := func(pos token.Pos, rule, desc string, spans ...span) {
		id := fmt.Sprintf("%s:%s:%s", rel, fn, rule)
		if seen[id]++; seen[id] > 1 {
			id = fmt.Sprintf("%s#%d", id, seen[id])
		}
		ms = append(ms, mutation{id: id, file: rel, desc: desc, spans: spans, line: fset.Position(pos).Line})
	}
	off := func(p token.Pos) int { return fset.Position(p).Offset }
	text := func(n ast.Node) string { return string(src[off(n.Pos()):off(n.End())]) }
	removal := func(st ast.Stmt, c *ast.CallExpr) span {
		parts := []string{}
		switch fun := c.Fun.(type) {
		case *ast.SelectorExpr:
			parts = append(parts, text(fun.X))
		case *ast.Ident:
			if fun.Name != "close" { // a builtin is no value
				parts = append(parts, fun.Name)
			}
		}
		for _, a := range c.Args {
			parts = append(parts, text(a))
		}
		return span{off(st.Pos()), off(st.End()), "_ = []any{" + strings.Join(parts, ", ") + "}"}
	}

	// The bodies of `for cond { … Wait() }`: their Wait is left alone (the
	// loop would spin without it), the loop becomes an `if` instead. A
	// ForStmt is visited before its body.
	condLoops := map[*ast.BlockStmt]bool{}
	visit := func(n ast.Node) bool {
		if fs, ok := n.(*ast.ForStmt); ok && fs.Init == nil && fs.Post == nil && fs.Cond != nil && holdsWait(fs.Body) {
			condLoops[fs.Body] = true
			add(fs.For, "for-wait-as-if", "the `for` around a Wait becomes an `if`", span{off(fs.For), off(fs.For) + 3, "if"})
		}
		list := stmtList(n)
		for i, st := range list {
			c, recv, name := callStmt(st)
			if c == nil {
				continue
			}
			switch {
			case (name == "Lock" || name == "RLock") && recv != "":
				unlock := "Unlock"
				if name == "RLock" {
					unlock = "RUnlock"
				}
				for j := i + 1; j < len(list); j++ {
					c2, recv2, name2 := callStmt(list[j])
					if c2 != nil && name2 == unlock && recv2 == recv {
						add(st.Pos(), "no-lock", fmt.Sprintf("%s.%s/%s removed", recv, name, unlock), removal(st, c), removal(list[j], c2))
						break
					}
				}
			case (name == "Done" || name == "Wait") && recv != "" && len(c.Args) == 0:
				if b, ok := n.(*ast.BlockStmt); ok && name == "Wait" && condLoops[b] {
					continue // the for-wait-as-if rule mutates this loop; without Wait it would spin
				}
				add(st.Pos(), "no-"+strings.ToLower(name), fmt.Sprintf("%s.%s() removed", recv, name), removal(st, c))
			case (name == "Add" || name == "Release" || name == "Signal") && recv != "":
				add(st.Pos(), "no-"+strings.ToLower(name), fmt.Sprintf("%s.%s(…) removed", recv, name), removal(st, c))
			case name == "Broadcast" && recv != "":
				add(st.Pos(), "no-broadcast", recv+".Broadcast() removed", removal(st, c))
				sel := c.Fun.(*ast.SelectorExpr)
				add(st.Pos(), "broadcast-as-signal", recv+".Broadcast() becomes Signal()", span{off(sel.Sel.Pos()), off(sel.Sel.End()), "Signal"})
			case name == "close" && recv == "" && len(c.Args) == 1:
				add(st.Pos(), "no-close", fmt.Sprintf("close(%s) removed", text(c.Args[0])), removal(st, c))
			case recv == "" && strings.HasPrefix(strings.ToLower(name), "cancel"):
				add(st.Pos(), "no-cancel", name+"(…) removed", removal(st, c))
			}
		}
		return true
	}
	for _, d := range f.Decls {
		fn = declName(d)
		ast.Inspect(d, visit)
	}
	return ms, nil
}

// declName names a top-level declaration for a mutation's id: Func,
// (*T).Method or (T).Method, or the first name a var or const declares.
// Unlike a line number, it does not move when the file is edited elsewhere.
func declName(d ast.Decl) string {
	switch d := d.(type) {
	case *ast.FuncDecl:
		if d.Recv == nil || len(d.Recv.List) == 0 {
			return d.Name.Name
		}
		var b bytes.Buffer
		t := d.Recv.List[0].Type
		if ix, ok := t.(*ast.IndexExpr); ok { // a generic receiver: T[E]
			t = ix.X
		} else if ix, ok := t.(*ast.IndexListExpr); ok {
			t = ix.X
		}
		if st, ok := t.(*ast.StarExpr); ok {
			b.WriteString("*")
			t = st.X
			if ix, ok := t.(*ast.IndexExpr); ok {
				t = ix.X
			} else if ix, ok := t.(*ast.IndexListExpr); ok {
				t = ix.X
			}
		}
		exprString(&b, t)
		return "(" + b.String() + ")." + d.Name.Name
	case *ast.GenDecl:
		for _, sp := range d.Specs {
			if vs, ok := sp.(*ast.ValueSpec); ok && len(vs.Names) > 0 {
				return vs.Names[0].Name
			}
		}
	}
	return "_"
}

// stmtList returns the statements n holds directly, if any.
func stmtList(n ast.Node) []ast.Stmt {
	switch n := n.(type) {
	case *ast.BlockStmt:
		return n.List
	case *ast.CaseClause:
		return n.Body
	case *ast.CommClause:
		return n.Body
	}
	return nil
}

// callStmt returns the call of an expression or defer statement, its
// receiver's text (empty for a plain function) and the function's name.
func callStmt(st ast.Stmt) (*ast.CallExpr, string, string) {
	var e ast.Expr
	switch st := st.(type) {
	case *ast.ExprStmt:
		e = st.X
	case *ast.DeferStmt:
		e = st.Call
	default:
		return nil, "", ""
	}
	c, ok := e.(*ast.CallExpr)
	if !ok {
		return nil, "", ""
	}
	switch fun := c.Fun.(type) {
	case *ast.Ident:
		return c, "", fun.Name
	case *ast.SelectorExpr:
		var b bytes.Buffer
		if exprString(&b, fun.X) {
			return c, b.String(), fun.Sel.Name
		}
	}
	return nil, "", ""
}

// exprString writes a selector chain (a.b.c, a[i].b) and reports whether e
// is one.
func exprString(b *bytes.Buffer, e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident:
		b.WriteString(e.Name)
		return true
	case *ast.SelectorExpr:
		if !exprString(b, e.X) {
			return false
		}
		b.WriteString("." + e.Sel.Name)
		return true
	case *ast.IndexExpr:
		if !exprString(b, e.X) {
			return false
		}
		b.WriteString("[")
		ok := exprString(b, e.Index)
		b.WriteString("]")
		return ok
	case *ast.StarExpr:
		b.WriteString("*")
		return exprString(b, e.X)
	case *ast.ParenExpr:
		return exprString(b, e.X)
	}
	return false
}

// holdsWait reports whether body calls a Wait method as a statement of its own.
func holdsWait(body *ast.BlockStmt) bool {
	for _, st := range body.List {
		if c, recv, name := callStmt(st); c != nil && recv != "" && name == "Wait" {
			return true
		}
	}
	return false
}
