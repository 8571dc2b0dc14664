package scenarios

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// ErrPoolClosed is returned by [SubprocessPool.SquareNumbers] after
// [SubprocessPool.Close].
var ErrPoolClosed = errors.New("process pool: closed")

// closeGrace is how long Close lets a worker exit after its stdin is closed
// before it kills it.
const closeGrace = 5 * time.Second

// SubprocessPool is a fixed set of worker processes computing [SquareNumbers]:
// each is a copy of the running binary, started with [WorkerEnv]=1 so that
// [ServeIfWorker] makes it serve requests on its stdin and stdout (see
// frame.go for the protocol). Each process serves many requests, one at a
// time. Make one with [StartSubprocessPool] and always end it with Close.
//
// A worker that exits early, writes something that is not a well-formed
// answer, or does not answer before the caller's context is done is killed
// and reaped at once; the call gets an error saying so, and so does every
// later call that draws that worker. A broken worker is not replaced.
type SubprocessPool struct {
	ctx     context.Context
	workers []*poolWorker
	free    chan *poolWorker // the workers not serving a call
	closed  chan struct{}
	once    sync.Once
}

// poolWorker is one child process. It is owned by whoever took it from
// the pool's free channel.
type poolWorker struct {
	n      int // 1-based, for messages
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout *bufio.Reader
	stderr *stderrTail
	nextID uint64
	buf    []byte
	err    error // non-nil once the worker is broken (killed and reaped) or closed
}

// StartSubprocessPool starts procs worker processes (at least one). ctx bounds
// the pool's life: when it is done, the processes are killed (the calls in
// flight return ctx.Err()). The caller must call Close, whatever happens.
//
// It refuses to start inside a worker process: a binary whose main or
// TestMain does not call ServeIfWorker first would otherwise start its
// whole program again in every worker, and so on without end.
func StartSubprocessPool(ctx context.Context, procs int) (*SubprocessPool, error) {
	return startSubprocessPool(ctx, procs, nil)
}

func startSubprocessPool(ctx context.Context, procs int, env []string) (*SubprocessPool, error) {
	if os.Getenv(WorkerEnv) == "1" {
		return nil, fmt.Errorf("process pool: refusing to start inside a worker process (%s=1): does main or TestMain call scenarios.ServeIfWorker first?", WorkerEnv)
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("process pool: finding the running binary: %w", err)
	}
	procs = max(procs, 1)
	p := &SubprocessPool{
		ctx:    ctx,
		free:   make(chan *poolWorker, procs),
		closed: make(chan struct{}),
	}
	for i := range procs {
		w, err := startWorker(ctx, exe, i+1, env)
		if err != nil {
			p.Close()
			return nil, err
		}
		p.workers = append(p.workers, w)
		p.free <- w
	}
	return p, nil
}

func startWorker(ctx context.Context, exe string, n int, env []string) (*poolWorker, error) {
	cmd := exec.CommandContext(ctx, exe)
	// One P per worker: a worker serves one request at a time, as a Python
	// process of a ProcessPoolExecutor does, and the pool's size is the
	// parallelism.
	cmd.Env = append(os.Environ(), WorkerEnv+"=1", "GOMAXPROCS=1")
	// Under the race detector a process sleeps a second at exit (so that
	// late goroutines can report): a worker has none, and Close would wait.
	cmd.Env = append(cmd.Env, "GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	cmd.Env = append(cmd.Env, env...)
	w := &poolWorker{n: n, cmd: cmd, stderr: &stderrTail{max: 2048}}
	cmd.Stderr = w.stderr
	// If ctx ends the worker, exec kills it (Cancel's default) and Wait
	// gives the stderr copier this long to finish.
	cmd.WaitDelay = time.Second
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("process pool: worker %d: %w", n, err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		stdin.Close()
		return nil, fmt.Errorf("process pool: worker %d: %w", n, err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("process pool: starting worker %d: %w", n, err)
	}
	w.stdin, w.stdout = stdin, bufio.NewReader(stdout)
	return w, nil
}

// SquareNumbers computes [SquareNumbers](lo, hi) in the first free worker
// process, waiting for one if all are busy. If ctx is done before the
// answer arrives, the worker is killed (its state is unknown) and
// SquareNumbers returns ctx.Err(). It is safe for concurrent use; at most
// as many calls run at once as the pool has workers.
func (p *SubprocessPool) SquareNumbers(ctx context.Context, lo, hi int) (uint64, error) {
	var w *poolWorker
	select {
	case w = <-p.free:
	case <-p.closed:
		return 0, ErrPoolClosed
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	defer func() { p.free <- w }()
	select {
	case <-p.closed:
		return 0, ErrPoolClosed
	case <-ctx.Done():
		return 0, ctx.Err() // do not kill a worker for a call that never started
	default:
	}
	return w.call(ctx, p.ctx, lo, hi)
}

// call sends one request and reads its answer. On any failure the worker
// is killed, reaped and marked broken.
func (w *poolWorker) call(ctx, poolCtx context.Context, lo, hi int) (uint64, error) {
	if w.err != nil {
		return 0, w.err
	}
	w.nextID++
	req := kernelRequest{ID: w.nextID, Lo: int64(lo), Hi: int64(hi)}
	w.buf = req.appendTo(w.buf[:0])

	killed := context.AfterFunc(ctx, func() { w.cmd.Process.Kill() })
	resp, err := w.roundTrip()
	if !killed() {
		err = ctx.Err()
	} else if err != nil && poolCtx.Err() != nil {
		err = poolCtx.Err()
	}
	if err == nil && resp.ID != req.ID {
		err = fmt.Errorf("%w: answer to request %d, want %d", ErrMalformedFrame, resp.ID, req.ID)
	}
	if err != nil {
		return 0, w.fail(err)
	}
	if resp.Err != "" {
		return 0, fmt.Errorf("process pool: worker %d (pid %d): %s", w.n, w.cmd.Process.Pid, resp.Err)
	}
	return resp.Sum, nil
}

func (w *poolWorker) roundTrip() (kernelResponse, error) {
	if _, err := w.stdin.Write(w.buf); err != nil {
		return kernelResponse{}, fmt.Errorf("sending a request: %w", err)
	}
	f, buf, err := readFrame(w.stdout, w.buf)
	w.buf = buf
	if err == io.EOF {
		return kernelResponse{}, errors.New("exited without answering")
	}
	if err != nil {
		return kernelResponse{}, err
	}
	return decodeResponse(f)
}

// fail kills and reaps the worker, and records and returns an error that
// says what went wrong, how the process ended, and the end of what it wrote
// on stderr.
func (w *poolWorker) fail(cause error) error {
	w.cmd.Process.Kill()
	status := "exit status 0"
	if err := w.cmd.Wait(); err != nil {
		status = err.Error()
	}
	stderr := ""
	if tail := w.stderr.String(); tail != "" {
		stderr = "; stderr: " + lastStderrLine(tail)
	}
	w.err = fmt.Errorf("process pool: worker %d (pid %d, %s): %w%s", w.n, w.cmd.Process.Pid, status, cause, stderr)
	return w.err
}

// Close stops the pool: it waits for the calls in flight, closes every
// worker's stdin so that it exits, and reaps it, killing any worker that
// has not exited after a grace period. It returns an error if a worker that
// was not already broken did not exit cleanly. Close never leaves a process
// or a goroutine behind; calls after Close return ErrPoolClosed. Close may be
// called more than once; later calls return nil.
func (p *SubprocessPool) Close() error {
	first := false
	p.once.Do(func() { first = true; close(p.closed) })
	if !first {
		return nil
	}
	// Take every worker back: the calls in flight return theirs.
	for range p.workers {
		<-p.free
	}
	for _, w := range p.workers {
		if w.err == nil {
			w.stdin.Close() // all at once: the workers exit together
		}
	}
	var errs []error
	for _, w := range p.workers {
		if w.err != nil {
			continue // killed and reaped already
		}
		kill := time.AfterFunc(closeGrace, func() { w.cmd.Process.Kill() })
		err := w.cmd.Wait()
		kill.Stop()
		if err != nil && p.ctx.Err() == nil {
			errs = append(errs, fmt.Errorf("process pool: worker %d (pid %d): %w", w.n, w.cmd.Process.Pid, err))
		}
		w.err = ErrPoolClosed
	}
	return errors.Join(errs...)
}

// stderrTail keeps the last max bytes written to it: the end of a worker's
// stderr, where a panic or a fatal error is.
type stderrTail struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *stderrTail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if over := len(t.b) - t.max; over > 0 {
		t.b = append(t.b[:0], t.b[over:]...)
	}
	return len(p), nil
}

func (t *stderrTail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}

// lastStderrLine returns the last non-empty line of s.
func lastStderrLine(s string) string {
	s = strings.TrimRight(s, "\n")
	return s[strings.LastIndexByte(s, '\n')+1:]
}
