package instrument

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"hash/fnv"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// RewriteOptions tune Rewrite.
type RewriteOptions struct {
	Runtime    string // import path of the runtime package
	Tests      bool   // hook the file's top-level Test functions
	Locks      bool   // replace sync.Mutex and sync.RWMutex
	SitePrefix string // makes site ids unique across packages
}

// An edit replaces src[start:end] by text; an insertion has start == end.
type edit struct {
	start, end int
	text       string
}

// syncCalls are the method names whose calls get a yield before them: locks,
// WaitGroup, Cond, errgroup and atomics. Without types the names are only a
// guess; a yield before an unrelated call costs little and changes nothing.
var syncCalls = map[string]bool{
	"Lock": true, "Unlock": true, "RLock": true, "RUnlock": true, "TryLock": true, "TryRLock": true,
	"Add": true, "Done": true, "Wait": true, "Go": true,
	"Signal": true, "Broadcast": true,
	"Load": true, "Store": true, "Swap": true, "CompareAndSwap": true,
}

// Rewrite returns the instrumented text of one Go file. Every insertion is on
// the line of the statement it precedes, so every line keeps its number and
// stacks, race reports and findings point to the original lines; the go
// command's overlay maps the copy back to the original file name. changed is
// false when the file needs nothing.
func Rewrite(src []byte, filename string, opts RewriteOptions) (out []byte, changed bool, err error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filename, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, false, fmt.Errorf("instrument: %v", err)
	}
	r := &rewriter{fset: fset, opts: opts, base: filepath.Base(filename)}
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		name := filepath.Base(path)
		if imp.Name != nil {
			name = imp.Name.Name
		}
		switch path {
		case "sync":
			r.syncName = name
		case "testing":
			r.testingName = name
		case "time":
			r.timeName = name
		case "context":
			r.contextName = name
		}
	}
	if r.syncName == "." || r.syncName == "_" {
		r.syncName = ""
	}
	ast.Inspect(f, r.visit)
	if opts.Tests {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok {
				r.hookTest(fd)
			}
		}
	}
	if len(r.edits) == 0 {
		return src, false, nil
	}
	r.insert(f.Name.End(), fmt.Sprintf("; import %s %q", RuntimeName, opts.Runtime))
	if r.replacedSync {
		r.insert(len(src), fmt.Sprintf("\nvar _ %s.Locker\n", r.syncName))
	}
	return apply(src, r.edits), true, nil
}

type rewriter struct {
	fset         *token.FileSet
	opts         RewriteOptions
	base         string
	syncName     string
	testingName  string
	timeName     string
	contextName  string
	edits        []edit
	replacedSync bool
}

func (r *rewriter) off(p token.Pos) int { return r.fset.Position(p).Offset }

func (r *rewriter) insert(at interface{}, text string) {
	var o int
	switch v := at.(type) {
	case token.Pos:
		o = r.off(v)
	case int:
		o = v
	}
	r.edits = append(r.edits, edit{start: o, end: o, text: text})
}

func (r *rewriter) visit(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.SelectorExpr:
		if r.opts.Locks && r.syncName != "" {
			if x, ok := n.X.(*ast.Ident); ok && x.Name == r.syncName && (n.Sel.Name == "Mutex" || n.Sel.Name == "RWMutex") {
				r.edits = append(r.edits, edit{start: r.off(n.Pos()), end: r.off(n.End()), text: RuntimeName + "." + n.Sel.Name})
				r.replacedSync = true
				return false
			}
		}
	case *ast.BlockStmt:
		r.list(n.List)
	case *ast.CaseClause:
		r.list(n.Body)
	case *ast.CommClause:
		r.list(n.Body)
	case *ast.CallExpr:
		r.timer(n)
	case *ast.RangeStmt:
		// A range over a ticker's channel waits between iterations; a site
		// at the top of its body tells the watchdog the loop goes on.
		if sel, ok := n.X.(*ast.SelectorExpr); ok && sel.Sel.Name == "C" && n.Body != nil {
			r.insert(n.Body.Lbrace+1, fmt.Sprintf(" %s.Yield(%d);", RuntimeName, r.site(n.Body.Lbrace)))
		}
	}
	return true
}

// list inserts a yield before each statement of a statement list that does a
// concurrency operation outside its nested blocks.
func (r *rewriter) list(stmts []ast.Stmt) {
	for _, s := range stmts {
		if yields(s) {
			r.insert(s.Pos(), fmt.Sprintf("%s.Yield(%d); ", RuntimeName, r.site(s.Pos())))
		}
	}
}

// site is the id of the yield at pos: stable across builds, so that a seed
// perturbs the same sites when a finding is replayed.
func (r *rewriter) site(pos token.Pos) uint32 {
	p := r.fset.Position(pos)
	h := fnv.New32a()
	fmt.Fprintf(h, "%s/%s:%d:%d", r.opts.SitePrefix, r.base, p.Line, p.Column)
	return h.Sum32()
}

// timerArgs are the duration (or deadline) arguments of the timer functions,
// by package and name.
var timerArgs = map[string]map[string]int{
	"time":    {"After": 0, "NewTimer": 0, "AfterFunc": 0, "Tick": 0, "NewTicker": 0},
	"context": {"WithTimeout": 1, "WithTimeoutCause": 1, "WithDeadline": 1, "WithDeadlineCause": 1},
}

// timer wraps the duration or deadline of a timer the code starts, so that
// the watchdog knows a goroutine waiting on a channel may still be woken
// by time.
func (r *rewriter) timer(call *ast.CallExpr) {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return
	}
	x, ok := sel.X.(*ast.Ident)
	if !ok {
		return
	}
	var pkg string
	switch {
	case r.timeName != "" && x.Name == r.timeName:
		pkg = "time"
	case r.contextName != "" && x.Name == r.contextName:
		pkg = "context"
	default:
		return
	}
	i, ok := timerArgs[pkg][sel.Sel.Name]
	if !ok || i >= len(call.Args) || call.Ellipsis.IsValid() {
		return
	}
	wrap := "Timer"
	if strings.HasPrefix(sel.Sel.Name, "WithDeadline") {
		wrap = "Deadline"
	}
	arg := call.Args[i]
	r.insert(arg.Pos(), RuntimeName+"."+wrap+"(")
	r.insert(r.off(arg.End()), ")")
}

func yields(s ast.Stmt) bool {
	switch s := s.(type) {
	case *ast.SendStmt, *ast.GoStmt, *ast.SelectStmt:
		return true
	case *ast.LabeledStmt:
		return yields(s.Stmt)
	case *ast.DeferStmt, *ast.BlockStmt, *ast.EmptyStmt, *ast.BranchStmt, *ast.CaseClause, *ast.CommClause:
		return false
	case *ast.IfStmt:
		return has(s.Init) || has(s.Cond)
	case *ast.ForStmt:
		return has(s.Init) || has(s.Cond)
	case *ast.RangeStmt:
		return has(s.X)
	case *ast.SwitchStmt:
		return has(s.Init) || has(s.Tag)
	case *ast.TypeSwitchStmt:
		return has(s.Init) || has(s.Assign)
	}
	return has(s)
}

// has reports whether n does a concurrency operation outside function
// literals and nested blocks.
func has(n ast.Node) bool {
	if n == nil {
		return false
	}
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit, *ast.BlockStmt:
			return false
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				found = true
			}
		case *ast.SendStmt:
			found = true
		case *ast.CallExpr:
			switch fn := n.Fun.(type) {
			case *ast.Ident:
				found = fn.Name == "close"
			case *ast.SelectorExpr:
				found = syncCalls[fn.Sel.Name]
			}
		}
		return !found
	})
	return found
}

// hookTest makes a top-level func TestXxx(t *testing.T) call the runtime's
// Test hook first.
func (r *rewriter) hookTest(fd *ast.FuncDecl) {
	if fd.Recv != nil || fd.Body == nil || fd.Type.TypeParams != nil || !isTestName(fd.Name.Name) || r.testingName == "" {
		return
	}
	params := fd.Type.Params.List
	if len(params) != 1 || len(params[0].Names) > 1 {
		return
	}
	star, ok := params[0].Type.(*ast.StarExpr)
	if !ok {
		return
	}
	sel, ok := star.X.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "T" {
		return
	}
	if x, ok := sel.X.(*ast.Ident); !ok || x.Name != r.testingName {
		return
	}
	name := "t"
	switch {
	case len(params[0].Names) == 0:
		name = "conclabhunt_t"
		r.insert(params[0].Type.Pos(), name+" ")
	case params[0].Names[0].Name == "_":
		name = "conclabhunt_t"
		id := params[0].Names[0]
		r.edits = append(r.edits, edit{start: r.off(id.Pos()), end: r.off(id.End()), text: name})
	default:
		name = params[0].Names[0].Name
	}
	r.insert(fd.Body.Lbrace+1, fmt.Sprintf("%s.Test(%s);", RuntimeName, name))
}

// isTestName is the testing package's rule: Test, then nothing or a
// character that is not a lower-case letter.
func isTestName(name string) bool {
	if len(name) < 4 || name[:4] != "Test" {
		return false
	}
	if len(name) == 4 {
		return true
	}
	c, _ := utf8.DecodeRuneInString(name[4:])
	return !unicode.IsLower(c)
}

func apply(src []byte, edits []edit) []byte {
	sort.SliceStable(edits, func(i, j int) bool {
		if edits[i].start != edits[j].start {
			return edits[i].start < edits[j].start
		}
		return edits[i].end < edits[j].end // insertions before replacements
	})
	var out []byte
	at := 0
	for _, e := range edits {
		if e.start < at {
			continue // overlaps an earlier replacement
		}
		out = append(out, src[at:e.start]...)
		out = append(out, e.text...)
		at = e.end
	}
	return append(out, src[at:]...)
}
