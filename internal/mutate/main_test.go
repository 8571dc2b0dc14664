package main

import (
	"context"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestRunAllWaitsAndReportsEachVerdictOnce: every verdict is in place when
// runAll returns (a runAll that did not wait would return with the last
// jobs still sleeping), and report is never called twice at once (the
// unsynchronised append below is a data race otherwise, which -race
// reports).
func TestRunAllWaitsAndReportsEachVerdictOnce(t *testing.T) {
	for _, jobs := range []int{1, 2, 4} {
		t.Run(fmt.Sprintf("jobs=%d", jobs), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				todo := make([]mutation, 20)
				for i := range todo {
					todo[i].id = fmt.Sprint(i)
				}
				var reported []int
				got := runAll(t.Context(), todo, jobs, func(m mutation) verdict {
					time.Sleep(time.Second) // virtual time in the synctest bubble: each job takes a second
					return verdict{m: m, status: "caught", by: "test " + m.id}
				}, func(i int, v verdict) {
					reported = append(reported, i)
				})
				require.Len(t, got, len(todo))
				for i, v := range got {
					assert.Equal(t, "test "+todo[i].id, v.by, "verdict %d in place", i)
				}
				assert.ElementsMatch(t, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19}, reported)
			})
		})
	}
}

func TestRunAllStartsNothingOnceCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	started := 0
	got := runAll(ctx, make([]mutation, 3), 2, func(mutation) verdict { started++; return verdict{} }, func(int, verdict) {})
	assert.Zero(t, started)
	assert.Len(t, got, 3)
}

const sample = `package p

import (
	"context"
	"sync"
)

type q struct {
	mu    sync.Mutex
	c     sync.Cond
	wg    sync.WaitGroup
	n     int
	items chan int
}

func (x *q) get(ctx context.Context) int {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	x.mu.Lock()
	for x.n == 0 {
		x.c.Wait()
	}
	x.n--
	x.c.Broadcast()
	x.mu.Unlock()
	x.wg.Add(1)
	go func() {
		defer x.wg.Done()
		close(x.items)
	}()
	x.wg.Wait()
	_ = ctx
	return x.n
}

func (x q) put() {
	x.mu.Lock()
	x.mu.Unlock()
	x.mu.Lock()
	x.mu.Unlock()
}

func Free(wg *sync.WaitGroup) { wg.Wait() }

var later = func(wg *sync.WaitGroup) { wg.Wait() }
`

// TestGenerateFindsEveryRule: each rule fires where it should, the Wait of
// a condition loop is left to the for-as-if rule, every mutation still
// parses, and the ids name the declaration (numbered within it), not the line.
func TestGenerateFindsEveryRule(t *testing.T) {
	ms, err := fileMutations("p/p.go", []byte(sample))
	require.NoError(t, err)
	var ids []string
	for _, m := range ms {
		ids = append(ids, m.id)
		b, err := m.applyTo([]byte(sample))
		require.NoError(t, err, m.id)
		_, err = parser.ParseFile(token.NewFileSet(), "p.go", b, 0)
		assert.NoError(t, err, "%s parses:\n%s", m.id, b)
	}
	assert.Equal(t, []string{
		"p/p.go:(*q).get:no-cancel", "p/p.go:(*q).get:no-lock", "p/p.go:(*q).get:no-broadcast",
		"p/p.go:(*q).get:broadcast-as-signal", "p/p.go:(*q).get:no-add", "p/p.go:(*q).get:no-wait",
		"p/p.go:(*q).get:for-wait-as-if", "p/p.go:(*q).get:no-done", "p/p.go:(*q).get:no-close",
		"p/p.go:(q).put:no-lock", "p/p.go:(q).put:no-lock#2", "p/p.go:Free:no-wait", "p/p.go:later:no-wait",
	}, ids)
	for _, m := range ms {
		if m.id == "p/p.go:(*q).get:no-lock" {
			b, _ := m.applyTo([]byte(sample))
			assert.Contains(t, string(b), "\t_ = []any{x.mu}\n\tfor x.n == 0 {")
			assert.Contains(t, string(b), "\tx.c.Broadcast()\n\t_ = []any{x.mu}\n")
		}
	}
}

// TestGenerateCoversTheTree: the rules find mutations in each directory
// they are meant for, and every one applies to the pristine file.
func TestGenerateCoversTheTree(t *testing.T) {
	root := filepath.Join("..", "..")
	ms, err := generate(root, dirs)
	require.NoError(t, err)
	files := map[string]bool{}
	for _, m := range ms {
		files[filepath.Dir(m.file)] = true
		_, err := m.apply(root)
		assert.NoError(t, err)
	}
	for _, dir := range []string{"scenarios", "internal/mutate", "cmd/conclab"} {
		assert.True(t, files[dir], "mutations in %s", dir)
	}
}

// TestGenerateSkipsFilesTheBuildLeavesOut: a file behind a build tag the
// default build does not set is compiled by no test, so it has no mutation.
func TestGenerateSkipsFilesTheBuildLeavesOut(t *testing.T) {
	root := t.TempDir()
	body := "package p\n\nimport \"sync\"\n\nvar mu sync.Mutex\n\nfunc F() {\n\tmu.Lock()\n\tmu.Unlock()\n}\n"
	for name, header := range map[string]string{"built.go": "", "tagged.go": "//go:build conclabhunt\n\n"} {
		require.NoError(t, os.MkdirAll(filepath.Join(root, "p"), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(root, "p", name), []byte(header+strings.Replace(body, "F()", strings.TrimSuffix(name, ".go")+"()", 1)), 0o644))
	}
	ms, err := generate(root, []string{"p"})
	require.NoError(t, err)
	var ids []string
	for _, m := range ms {
		ids = append(ids, m.id)
	}
	assert.Equal(t, []string{"p/built.go:built:no-lock"}, ids)
}

func TestReadEquivalents(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.md")
	require.NoError(t, os.WriteFile(path, []byte("# x\n- `a`: not this section\n## Equivalent mutations\n\n- `scenarios/x.go:3:no-add`: the Add is of a counter nobody reads\n## Other\n- `b`: no\n"), 0o644))
	eq, err := readEquivalents(path)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"scenarios/x.go:3:no-add": "the Add is of a counter nobody reads"}, eq)
}

func TestVerdictOf(t *testing.T) {
	for _, tc := range []struct {
		name, out string
		err       error
		killed    bool
		want      outcome
	}{
		{"pass", "ok  \tx\t1s\n", nil, false, outcome{status: "SURVIVED"}},
		{"fail", "--- FAIL: TestA (0.00s)\n    --- FAIL: TestA/b (0.00s)\nFAIL\n", assert.AnError, false, outcome{"caught", "TestA", []string{"TestA"}}},
		{"build", "# x\nx.go:1: bad\nFAIL\tx [build failed]\n", assert.AnError, false, outcome{status: "no-compile", by: "x.go:1: bad"}},
		{"timeout", "panic: test timed out after 1s\n\trunning tests:\n\t\tTestB (1s)\n", assert.AnError, false, outcome{"hang", "test binary timeout in TestB", []string{"TestB"}}},
		{"killed", "", assert.AnError, true, outcome{status: "hang", by: "killed from outside, past the test binary's own timeout"}},
		{"crash", "fatal error: all goroutines are asleep - deadlock!\n", assert.AnError, false, outcome{status: "caught", by: "crash: fatal error: all goroutines are asleep - deadlock!"}},
		{"crash in a test", "=== RUN   TestC\npanic: boom\n\ngoroutine 7 [running]:\nexample.com/p_test.TestC.func1()\n\t/p/p_test.go:9 +0x1\ntesting.tRunner(0x1)\n", assert.AnError, false,
			outcome{"caught", "crash: panic: boom", []string{"TestC"}}},
		{"crash in a test's goroutine", "fatal error: sync: unlock of unlocked mutex\n\ngoroutine 9 [running]:\nexample.com/p.(*Q).Get(0x1)\n\t/p/p.go:3\ncreated by example.com/p_test.ExampleQ in goroutine 8\n", assert.AnError, false,
			outcome{"caught", "crash: fatal error: sync: unlock of unlocked mutex", []string{"ExampleQ"}}},
		{"crash in a goroutine of the code under test", "=== RUN   TestD\n=== RUN   TestE\n=== RUN   TestE/sub\npanic: boom\n\ngoroutine 9 [running]:\nexample.com/p.Map.func2()\n\t/p/p.go:3\ncreated by example.com/p.Map in goroutine 8\n", assert.AnError, false,
			outcome{"caught", "crash: panic: boom", []string{"TestE"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, verdictOf([]byte(tc.out), tc.err, tc.killed))
		})
	}
}

// TestRunTestsStopsAtTheFirstFailure runs a throwaway package whose
// first test fails while its second, in parallel, hangs: runTests must
// report the failure and kill the run there, not wait for the hang.
func TestRunTestsStopsAtTheFirstFailure(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/p\n\ngo 1.24\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "p_test.go"), []byte(`package p

import (
	"flag"
	"os"
	"testing"
	"time"
)

// TestMain: -parallel defaults to GOMAXPROCS, and at 1 TestB would hold
// the only slot while TestA waits for it.
func TestMain(m *testing.M) {
	flag.Set("test.parallel", "2")
	os.Exit(m.Run())
}

func TestA(t *testing.T) {
	t.Parallel()
	t.Fatal("caught")
}

func TestB(t *testing.T) {
	t.Parallel()
	time.Sleep(time.Hour) // the fake program under test hangs: running beside TestA, -failfast cannot stop it
}
`), 0o644))
	done := make(chan outcome, 1)
	// Not killed at TestA, the run would end at the binary's 10 s timeout, a hang.
	go func() { done <- runTests(t.Context(), dir, testRun{pkgs: []string{"./..."}}, 10*time.Second) }()
	select {
	case o := <-done:
		assert.Equal(t, outcome{"caught", "TestA", []string{"TestA"}}, o)
	case <-time.After(time.Minute):
		t.Fatal("runTests did not return at the first failing test")
	}
}
