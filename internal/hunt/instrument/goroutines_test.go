package instrument_test

import (
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/internal/hunt/instrument"
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
	gs := instrument.ParseGoroutines(sampleDump)
	require.Len(t, gs, 3)
	g := gs[0]
	assert.Equal(t, int64(7), g.ID)
	assert.Equal(t, "chan send", g.State)
	assert.Equal(t, 2, g.Minutes)
	assert.Equal(t, []instrument.Frame{{Func: "example.com/m/p.(*Server).loop", File: "/src/p/server.go", Line: 42}}, g.Frames)
	assert.Equal(t, instrument.Frame{Func: "example.com/m/p.Start", File: "/src/p/server.go", Line: 20}, g.CreatedBy)
	assert.Equal(t, int64(1), g.CreatorID)

	assert.Equal(t, int64(9), gs[1].ID)
	assert.Equal(t, "sync.Mutex.Lock", gs[1].State)
	require.Len(t, gs[1].Frames, 2)
	assert.Equal(t, "example.com/m/p.f[...]", gs[1].Frames[1].Func)
	top, ok := gs[1].Top(func(f instrument.Frame) bool { return !strings.HasPrefix(f.Func, "sync.") })
	assert.True(t, ok)
	assert.Equal(t, 9, top.Line)

	assert.Equal(t, instrument.KindRunning, instrument.Classify(gs[2].State))
}

func TestParseLiveDump(t *testing.T) {
	ch := make(chan int)
	done := make(chan struct{})
	go func() {
		defer close(done)
		ch <- 1
	}()
	var me []instrument.Goroutine
	for len(me) == 0 {
		buf := make([]byte, 1<<20)
		for _, g := range instrument.ParseGoroutines(string(buf[:runtime.Stack(buf, true)])) {
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
	assert.Equal(t, instrument.KindChanSend, instrument.Classify(me[0].State))
}

func TestClassify(t *testing.T) {
	tests := []struct {
		state    string
		kind     instrument.Kind
		blocking bool
	}{
		{"chan send", instrument.KindChanSend, true},
		{"chan receive", instrument.KindChanRecv, true},
		{"chan receive (nil chan)", instrument.KindNilChan, true},
		{"select (no cases)", instrument.KindNilChan, true},
		{"select", instrument.KindSelect, true},
		{"sync.Mutex.Lock", instrument.KindMutex, true},
		{"sync.RWMutex.RLock", instrument.KindRWMutex, true},
		{"sync.Cond.Wait", instrument.KindCond, true},
		{"sync.WaitGroup.Wait", instrument.KindWaitGroup, true},
		{"semacquire", instrument.KindSema, true},
		{"sleep", instrument.KindSleep, false},
		{"IO wait", instrument.KindIO, false},
		{"syscall", instrument.KindSyscall, false},
		{"runnable", instrument.KindRunning, false},
		{"GC assist wait", instrument.KindOther, false},
	}
	for _, tt := range tests {
		t.Run(tt.state, func(t *testing.T) {
			k := instrument.Classify(tt.state)
			assert.Equal(t, tt.kind, k)
			assert.Equal(t, tt.blocking, k.Blocking())
		})
	}
}
