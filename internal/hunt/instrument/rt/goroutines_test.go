package rt_test

import (
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/internal/hunt/instrument/rt"
)

const sampleDump = `panic: boom

goroutine 7 [chan send, 2 minutes]:
example.com/m/p.(*Server).loop(0xc000010000, {0x1, 0x2})
	/src/p/server.go:42 +0x25
created by example.com/m/p.Start in goroutine 1
	/src/p/server.go:20 +0x3c

goroutine 9 gp=0xc000003c00 m=nil [sync.Mutex.Lock, locked to thread]:
sync.(*Mutex).Lock(...)
	/usr/local/go/src/sync/mutex.go:46
example.com/m/p.f[...](...)
	/src/p/f.go:9 +0x11

goroutine 1 [running]:
main.main()
	/src/main.go:5 +0x1d
`

func TestParseGoroutines(t *testing.T) {
	gs := rt.ParseGoroutines(sampleDump)
	require.Len(t, gs, 3)
	g := gs[0]
	assert.Equal(t, int64(7), g.ID)
	assert.Equal(t, "chan send", g.State)
	assert.Equal(t, 2, g.Minutes)
	assert.Equal(t, []rt.Frame{{Func: "example.com/m/p.(*Server).loop", File: "/src/p/server.go", Line: 42}}, g.Frames)
	assert.Equal(t, rt.Frame{Func: "example.com/m/p.Start", File: "/src/p/server.go", Line: 20}, g.CreatedBy)
	assert.Equal(t, int64(1), g.CreatorID)

	assert.Equal(t, int64(9), gs[1].ID)
	assert.Equal(t, "sync.Mutex.Lock", gs[1].State)
	require.Len(t, gs[1].Frames, 2)
	assert.Equal(t, "example.com/m/p.f[...]", gs[1].Frames[1].Func)
	top, ok := gs[1].Top(func(f rt.Frame) bool { return !strings.HasPrefix(f.Func, "sync.") })
	assert.True(t, ok)
	assert.Equal(t, 9, top.Line)

	assert.Equal(t, rt.WaitRunning, rt.Classify(gs[2].State))
	assert.Equal(t, "goroutine 1 [running]:\nmain.main()\n\t/src/main.go:5 +0x1d", gs[2].Text)
	assert.True(t, strings.HasPrefix(gs[0].Text, "goroutine 7 [chan send, 2 minutes]:\n"), gs[0].Text)
	assert.True(t, strings.HasSuffix(gs[0].Text, "/src/p/server.go:20 +0x3c"), gs[0].Text)
}

// ancestorDump is a goroutine under GODEBUG=tracebackancestors=2: its
// creator's stack at the go statement, and that one's creator's.
const ancestorDump = `goroutine 21 [chan receive (leaked)]:
example.com/m/p.(*Pool).loop(...)
	/src/p/pool.go:14
created by example.com/m/p.NewPool in goroutine 20
	/src/p/pool.go:13 +0xdf
[originating from goroutine 20]:
example.com/m/p.NewPool(...)
	/src/p/pool.go:13 +0xdf
example.com/m/p.TestX(...)
	/src/p/pool_test.go:21 +0x25
created by testing.(*T).Run
	/usr/local/go/src/testing/testing.go:2101 +0xb13
[originating from goroutine 1]:
testing.(*T).Run(...)
	/usr/local/go/src/testing/testing.go:2109 +0xb13
...additional frames elided...
`

func TestParseAncestors(t *testing.T) {
	gs := rt.ParseGoroutines(ancestorDump)
	require.Len(t, gs, 1)
	g := gs[0]
	assert.Equal(t, "chan receive (leaked)", g.State)
	assert.Equal(t, []rt.Frame{{Func: "example.com/m/p.(*Pool).loop", File: "/src/p/pool.go", Line: 14}}, g.Frames, "the ancestors' frames are not the goroutine's")
	assert.Equal(t, rt.Frame{Func: "example.com/m/p.NewPool", File: "/src/p/pool.go", Line: 13}, g.CreatedBy)
	assert.Equal(t, int64(20), g.CreatorID)
	assert.Equal(t, []rt.Ancestor{
		{ID: 20, Frames: []rt.Frame{
			{Func: "example.com/m/p.NewPool", File: "/src/p/pool.go", Line: 13},
			{Func: "example.com/m/p.TestX", File: "/src/p/pool_test.go", Line: 21},
		}, CreatedBy: rt.Frame{Func: "testing.(*T).Run", File: "/usr/local/go/src/testing/testing.go", Line: 2101}},
		{ID: 1, Frames: []rt.Frame{{Func: "testing.(*T).Run", File: "/usr/local/go/src/testing/testing.go", Line: 2109}}},
	}, g.Ancestors)
	chain := g.CreationChain()
	require.Len(t, chain, 5)
	assert.Equal(t, "example.com/m/p.TestX", chain[2].Func, "the test's call follows the go statement and the creator's own frame")
}

func TestParseLiveDump(t *testing.T) {
	ch := make(chan int)
	done := make(chan struct{})
	go func() {
		defer close(done)
		ch <- 1
	}()
	var me []rt.Goroutine
	for len(me) == 0 {
		buf := make([]byte, 1<<20)
		for _, g := range rt.ParseGoroutines(string(buf[:runtime.Stack(buf, true)])) {
			if g.State == "chan send" && strings.HasSuffix(g.CreatedBy.Func, "TestParseLiveDump") {
				me = append(me, g)
			}
		}
		runtime.Gosched()
	}
	<-ch
	<-done
	require.NotEmpty(t, me[0].Frames)
	assert.Contains(t, me[0].Frames[0].File, "goroutines_test.go")
	assert.Equal(t, rt.WaitChanSend, rt.Classify(me[0].State))
}

func TestClassify(t *testing.T) {
	tests := []struct {
		state    string
		wait     rt.Wait
		blocking bool
	}{
		{"chan send", rt.WaitChanSend, true},
		{"chan receive", rt.WaitChanRecv, true},
		{"chan receive (nil chan)", rt.WaitNilChan, true},
		{"select (no cases)", rt.WaitNilChan, true},
		{"select", rt.WaitSelect, true},
		{"sync.Mutex.Lock", rt.WaitMutex, true},
		{"sync.RWMutex.RLock", rt.WaitRWMutex, true},
		{"sync.Cond.Wait", rt.WaitCond, true},
		{"sync.WaitGroup.Wait", rt.WaitWaitGroup, true},
		{"semacquire", rt.WaitSema, true},
		{"sleep", rt.WaitSleep, false},
		{"IO wait", rt.WaitIO, false},
		{"syscall", rt.WaitSyscall, false},
		{"runnable", rt.WaitRunning, false},
		{"preempted", rt.WaitRunning, false},
		{"chan receive (durable)", rt.WaitChanRecv, true},
		{"select (durable)", rt.WaitSelect, true},
		{"sync.WaitGroup.Wait (durable)", rt.WaitWaitGroup, true},
		{"sync.Cond.Wait (durable)", rt.WaitCond, true},
		{"chan send (leaked)", rt.WaitChanSend, true},
		{"sync.Mutex.Lock (leaked) (scan)", rt.WaitMutex, true},
		{"sync.(*Mutex).Lock", rt.WaitMutex, true},
		{"synctest.Wait", rt.WaitOther, false},
		{"GC assist wait", rt.WaitOther, false},
	}
	for _, tt := range tests {
		t.Run(tt.state, func(t *testing.T) {
			k := rt.Classify(tt.state)
			assert.Equal(t, tt.wait, k)
			assert.Equal(t, tt.blocking, k.Blocking())
		})
	}
}
