package instrument_test

import (
	"fmt"
	"go/parser"
	"go/token"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/internal/hunt/instrument"
)

func rewrite(t *testing.T, src string, opts instrument.RewriteOptions) string {
	t.Helper()
	if opts.Runtime == "" {
		opts.Runtime = "example.com/m/conclabhuntrt"
	}
	out, _, err := instrument.Rewrite([]byte(src), "x.go", opts)
	require.NoError(t, err)
	_, err = parser.ParseFile(token.NewFileSet(), "x.go", out, 0)
	require.NoError(t, err, "%s", out)
	assert.Equal(t, strings.Count(src, "\n"), strings.Count(string(out), "\n")-strings.Count(string(out), "\nvar _ sync.Locker\n")*2, "lines moved:\n%s", out)
	return string(out)
}

func TestRewriteSites(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		yield []string // lines that must start with a yield
		plain []string // lines that must be left alone
	}{
		{name: "send and receive", body: "ch <- 1\nv := <-ch\n_ = v", yield: []string{"ch <- 1", "v := <-ch"}, plain: []string{"_ = v"}},
		{name: "select and go", body: "go f()\nselect {\ncase v := <-ch:\n\t_ = v\ndefault:\n}", yield: []string{"go f()", "select {"}, plain: []string{"case v := <-ch:"}},
		{name: "locks and groups", body: "mu.Lock()\nwg.Add(1)\nwg.Wait()\ncond.Broadcast()\nclose(ch)\nx := len(ch)\n_ = x", yield: []string{"mu.Lock()", "wg.Add(1)", "wg.Wait()", "cond.Broadcast()", "close(ch)"}, plain: []string{"x := len(ch)"}},
		{name: "if condition", body: "if v, ok := <-ch; ok {\n\t_ = v\n} else if <-ch == 0 {\n}", yield: []string{"if v, ok := <-ch; ok {"}, plain: []string{"} else if <-ch == 0 {"}},
		{name: "for post and defer", body: "for i := 0; i < 3; ch <- i {\n\ti++\n}\ndefer mu.Unlock()", plain: []string{"for i := 0; i < 3; ch <- i {", "defer mu.Unlock()"}},
		{name: "label", body: "loop:\n\tfor {\n\t\tselect {\n\t\tcase <-ch:\n\t\t\tbreak loop\n\t\t}\n\t}\nagain:\n\tselect {\n\tcase <-ch:\n\t\tgoto again\n\t}", yield: []string{"again:", "select {"}, plain: []string{"loop:"}},
		{name: "switch case list", body: "switch <-ch {\ncase 1, 2:\n\tch <- 3\n}", yield: []string{"switch <-ch {", "ch <- 3"}, plain: []string{"case 1, 2:"}},
		{name: "func literal", body: "f := func() { ch <- 1 }\nf()", yield: []string{"f := func() {"}, plain: []string{"f()"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "package p\n\nfunc g(ch chan int, mu interface{ Lock(); Unlock() }, wg, cond interface{ Add(int); Wait(); Broadcast() }, f func()) {\n" + tt.body + "\n}\n"
			out := rewrite(t, src, instrument.RewriteOptions{})
			lines := strings.Split(out, "\n")
			find := func(text string) string {
				for _, l := range lines {
					if strings.Contains(l, text) {
						return strings.TrimSpace(l)
					}
				}
				t.Fatalf("%q lost:\n%s", text, out)
				return ""
			}
			for _, y := range tt.yield {
				l := find(y)
				if y == "f := func() {" {
					assert.Contains(t, l, "{ conclabhuntrt.Yield(")
					continue
				}
				assert.True(t, strings.HasPrefix(l, "conclabhuntrt.Yield("), "no yield before %q:\n%s", y, out)
			}
			for _, p := range tt.plain {
				assert.NotContains(t, find(p), "conclabhuntrt.Yield(", "yield inside %q", p)
			}
		})
	}
}

func TestRewriteLocks(t *testing.T) {
	src := `package p

import (
	"sync"
	"testing"
)

type S struct {
	sync.Mutex
	rw sync.RWMutex
	mu *sync.Mutex
	l  sync.Locker
}

func New() *S {
	s := &S{mu: new(sync.Mutex)}
	s.l = s.rw.RLocker()
	_ = sync.NewCond(&s.Mutex)
	return s
}

func TestX(t *testing.T) {}

func TestY(*testing.T) {}

func Testlower(t *testing.T) {}

func TestMain(m *testing.M) {}
`
	out := rewrite(t, src, instrument.RewriteOptions{Tests: true, Locks: true})
	assert.Equal(t, 4, strings.Count(out, "conclabhuntrt.Mutex")+strings.Count(out, "conclabhuntrt.RWMutex"))
	assert.Contains(t, out, "sync.Locker\n")
	assert.Contains(t, out, "sync.NewCond(&s.Mutex)")
	assert.Contains(t, out, "func TestX(t *testing.T) {conclabhuntrt.Test(t);}")
	assert.Contains(t, out, "func TestY(conclabhunt_t *testing.T) {conclabhuntrt.Test(conclabhunt_t);}")
	assert.Contains(t, out, "func Testlower(t *testing.T) {}")
	assert.Contains(t, out, "func TestMain(m *testing.M) {}")
	assert.True(t, strings.HasPrefix(out, "package p; import conclabhuntrt \"example.com/m/conclabhuntrt\"\n"))

	out = rewrite(t, src, instrument.RewriteOptions{Tests: true})
	assert.NotContains(t, out, "conclabhuntrt.Mutex")
}

func TestRewriteUnchanged(t *testing.T) {
	src := []byte("package p\n\nfunc f() int { return 1 }\n")
	out, changed, err := instrument.Rewrite(src, "x.go", instrument.RewriteOptions{Runtime: "m/conclabhuntrt", Tests: true, Locks: true})
	require.NoError(t, err)
	assert.False(t, changed)
	assert.Equal(t, src, out)

	_, _, err = instrument.Rewrite([]byte("package p\nfunc {"), "bad.go", instrument.RewriteOptions{})
	assert.ErrorContains(t, err, "bad.go")
}

// ExampleRewrite shows the rewritten text of a test file: every insertion
// sits on the line of the statement it precedes, so lines keep their
// numbers.
func ExampleRewrite() {
	src := `package p

import (
	"sync"
	"testing"
)

func TestSend(t *testing.T) {
	var mu sync.Mutex
	ch := make(chan int, 1)
	mu.Lock()
	ch <- 1
	mu.Unlock()
}
`
	out, _, _ := instrument.Rewrite([]byte(src), "p_test.go", instrument.RewriteOptions{
		Runtime: "example.com/m/conclabhuntrt", Tests: true, Locks: true, SitePrefix: "example.com/m/p",
	})
	fmt.Print(string(out))
	// Output:
	// package p; import conclabhuntrt "example.com/m/conclabhuntrt"
	//
	// import (
	// 	"sync"
	// 	"testing"
	// )
	//
	// func TestSend(t *testing.T) {conclabhuntrt.Test(t);
	// 	var mu conclabhuntrt.Mutex
	// 	ch := make(chan int, 1)
	// 	conclabhuntrt.Yield(1629414039); mu.Lock()
	// 	conclabhuntrt.Yield(1154185278); ch <- 1
	// 	conclabhuntrt.Yield(3144507181); mu.Unlock()
	// }
	//
	// var _ sync.Locker
}
