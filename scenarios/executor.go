package scenarios

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
)

// The article's concurrent.futures example:
//
//	with ThreadPoolExecutor(max_workers=3) as executor:
//	    results = executor.map(greet, ["Alice", "Bob", "Charlie"])
//
// rebuilt as [TaskExecutor], a fixed pool of goroutines, with [Submit] returning a
// [Future] and [MapTasks] returning the results in input order.
//
// The executor scenario reads Workers (the pool's size; 0 means GOMAXPROCS,
// and -workers 3 is the article's max_workers=3), Items (the number of names
// to greet) and Work (kernel iterations in each greeting, so that the tasks
// have something to scale). Its invariant is that the greetings come back in
// input order, exactly, that no more than Workers ran at once, and that the
// checksum of the work done is the serial SquareNumbers(0, Items×Work).
// Result.Data is the []string of greetings; Result.Total is the checksum;
// Result.MaxConcurrent is the most tasks seen running at once.

const executorPython = `from concurrent.futures import ThreadPoolExecutor

def greet(name):
    return f"Hello, {name}!"

with ThreadPoolExecutor(max_workers=3) as executor:
    results = executor.map(greet, ["Alice", "Bob", "Charlie"])`

// ErrShutdown is the error of a [Future] whose task was submitted after
// [TaskExecutor.Shutdown] began, or was still queued when a Shutdown gave up
// waiting.
var ErrShutdown = errors.New("executor: shut down")

// errGoexit is the error of a task that called runtime.Goexit.
var errGoexit = errors.New("executor: task called runtime.Goexit")

// PanicError is the error of a [Future] whose task panicked: the executor
// recovers at the task's boundary, as Python's futures do, and hands the
// panic to whoever calls Get, instead of crashing the program.
type PanicError struct {
	// Value is what the task passed to panic.
	Value any
	// Stack is the panicking goroutine's stack, from runtime/debug.Stack.
	Stack []byte
}

// Error returns the panic value and the stack, as the runtime would print
// them.
func (p *PanicError) Error() string {
	return fmt.Sprintf("executor: task panicked: %v\n\n%s", p.Value, p.Stack)
}

// Unwrap returns the panic value if it is an error, so that errors.Is and
// errors.As see through the panic.
func (p *PanicError) Unwrap() error {
	err, _ := p.Value.(error)
	return err
}

// Future is the result of a task submitted to a [TaskExecutor]: it becomes
// ready once, when the task returns, panics, or is cancelled before it ran.
// Its methods are safe for concurrent use.
type Future[T any] struct {
	done chan struct{}
	val  T
	err  error
}

func (f *Future[T]) set(v T, err error) {
	f.val, f.err = v, err
	close(f.done)
}

// Done returns a channel that is closed when the result is ready.
func (f *Future[T]) Done() <-chan struct{} { return f.done }

// Get waits for the result and returns what the task returned. If the task
// panicked, the error is a *[PanicError]; if it never ran because its
// context was done first, the error is that context's error (or
// [ErrShutdown]). If ctx is done before the result is ready, Get returns
// ctx.Err() and the task goes on: a Future is a receipt, and cancelling a
// wait does not cancel the work (cancel the context given to [Submit] for
// that). A result that is already ready is returned even if ctx is done.
func (f *Future[T]) Get(ctx context.Context) (T, error) {
	select {
	case <-f.done:
		return f.val, f.err
	default:
	}
	select {
	case <-f.done:
		return f.val, f.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// TaskExecutor runs submitted tasks on a fixed pool of goroutines, like
// Python's ThreadPoolExecutor: [Submit] queues a task and returns at once
// with a [Future]; the workers take tasks in submission order. The queue is
// unbounded, as Python's is: bound the work in flight with [MapTasks] or a
// semaphore. Make one with [NewTaskExecutor] and always end it with
// [TaskExecutor.Shutdown], which stops its workers.
type TaskExecutor struct {
	mu      sync.Mutex
	ready   sync.Cond     // signalled when queue grows or closed is set
	queue   []func()      // tasks not yet started, oldest first
	closed  bool          // Shutdown began: Submit refuses new tasks
	pending int           // tasks submitted and not yet finished
	drained chan struct{} // closed once closed is set and pending is 0

	workers sync.WaitGroup
	kill    context.Context // cancelled when a Shutdown gives up waiting
	stop    context.CancelCauseFunc
}

// NewTaskExecutor starts an executor with the given number of worker
// goroutines, at least one. The caller must call Shutdown.
func NewTaskExecutor(workers int) *TaskExecutor {
	e := &TaskExecutor{drained: make(chan struct{})}
	e.ready.L = &e.mu
	e.kill, e.stop = context.WithCancelCause(context.Background())
	for range max(workers, 1) {
		e.workers.Go(e.work)
	}
	return e
}

// work is a worker goroutine: it runs queued tasks until the queue is empty
// and Shutdown has begun.
func (e *TaskExecutor) work() {
	for {
		e.mu.Lock()
		for len(e.queue) == 0 && !e.closed {
			e.ready.Wait()
		}
		if len(e.queue) == 0 {
			e.mu.Unlock()
			return
		}
		task := e.queue[0]
		e.queue[0] = nil
		e.queue = e.queue[1:]
		e.mu.Unlock()

		e.run(task)
	}
}

// run runs one task. Panics are recovered inside task; only runtime.Goexit
// gets out, and it ends the worker goroutine: run then starts a replacement
// so that the pool keeps its size. The replacement's Add happens before this
// worker's Done, so Shutdown's Wait cannot miss it.
func (e *TaskExecutor) run(task func()) {
	normal := false
	defer func() {
		if !normal {
			e.workers.Go(e.work)
		}
		e.finish()
	}()
	task()
	normal = true
}

// finish accounts for one task that is done, however it ended.
func (e *TaskExecutor) finish() {
	e.mu.Lock()
	e.pending--
	if e.pending == 0 && e.closed {
		close(e.drained)
	}
	e.mu.Unlock()
}

// Submit queues f to run on one of e's workers and returns its [Future]
// without waiting. f receives a context derived from ctx, which is also
// cancelled (with cause [ErrShutdown]) if a Shutdown gives up waiting; a
// task that is still queued when its context is done is not run, and its
// Future fails with the context's error. A panic in f is recovered and
// returned by Get as a *[PanicError] carrying the value and the stack.
//
// Submit after Shutdown has begun does not queue f: it returns a Future
// that has already failed with [ErrShutdown], as Python's submit raises
// RuntimeError after shutdown.
func Submit[T any](ctx context.Context, e *TaskExecutor, f func(context.Context) (T, error)) *Future[T] {
	fut := &Future[T]{done: make(chan struct{})}
	task := func() {
		if err := ctx.Err(); err != nil {
			fut.set(*new(T), err)
			return
		}
		if e.kill.Err() != nil {
			fut.set(*new(T), context.Cause(e.kill))
			return
		}
		tctx, cancel := context.WithCancelCause(ctx)
		defer cancel(nil)
		unhook := context.AfterFunc(e.kill, func() { cancel(context.Cause(e.kill)) })
		defer unhook()

		normal := false
		defer func() {
			if normal {
				return
			}
			if r := recover(); r != nil {
				fut.set(*new(T), &PanicError{Value: r, Stack: debug.Stack()})
				return
			}
			fut.set(*new(T), errGoexit)
		}()
		v, err := f(tctx)
		normal = true
		fut.set(v, err)
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		fut.set(*new(T), ErrShutdown)
		return fut
	}
	e.pending++
	e.queue = append(e.queue, task)
	e.ready.Signal()
	return fut
}

// MapTasks runs f on every input in e, at most as many at once as e has
// workers, and returns the outputs in input order, like Python's
// executor.map. If a call fails, MapTasks cancels the calls still queued or
// running, waits for them, and returns the error of the failed call that
// comes first in input order, wrapped with its index. If ctx is done first,
// it cancels the calls, waits for them, and returns ctx.Err(). MapTasks
// never returns while a call it made is still running.
func MapTasks[In, Out any](ctx context.Context, e *TaskExecutor, inputs []In, f func(context.Context, In) (Out, error)) ([]Out, error) {
	mctx, cancel := context.WithCancel(ctx)
	defer cancel()
	futures := make([]*Future[Out], len(inputs))
	for i, in := range inputs {
		futures[i] = Submit(mctx, e, func(ctx context.Context) (Out, error) { return f(ctx, in) })
	}
	out := make([]Out, len(inputs))
	for i, fut := range futures {
		v, err := fut.Get(ctx)
		if err != nil {
			cancel()
			for _, fut := range futures[i:] {
				<-fut.Done()
			}
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, fmt.Errorf("executor: map item %d: %w", i, err)
		}
		out[i] = v
	}
	return out, nil
}

// Shutdown stops e from accepting tasks, waits for every task submitted
// before it (those still queued included) to finish, stops the workers and
// returns nil, like Python's shutdown(wait=True). If ctx is done first, it
// cancels the contexts of the tasks still running (cause [ErrShutdown]),
// fails those still queued with ErrShutdown, waits for the workers all the
// same, and returns ctx.Err(): so Shutdown never leaves a goroutine behind,
// but a task that ignores its context keeps it waiting. Shutdown may be
// called more than once and from several goroutines; each call waits.
func (e *TaskExecutor) Shutdown(ctx context.Context) error {
	e.mu.Lock()
	if !e.closed {
		e.closed = true
		e.ready.Broadcast()
		if e.pending == 0 {
			close(e.drained)
		}
	}
	e.mu.Unlock()

	var err error
	select {
	case <-e.drained:
	case <-ctx.Done():
		err = ctx.Err()
		e.stop(ErrShutdown)
	}
	// The workers return once the queue is empty: every task has finished.
	e.workers.Wait()
	e.stop(nil)
	return err
}

// executorNames returns the names the executor scenario greets: the article's
// "Alice", "Bob" and "Charlie", then "Guest4", "Guest5", and so on, n in all.
func executorNames(n int) []string {
	names := make([]string, n)
	for i := range names {
		switch i {
		case 0:
			names[i] = "Alice"
		case 1:
			names[i] = "Bob"
		case 2:
			names[i] = "Charlie"
		default:
			names[i] = fmt.Sprintf("Guest%d", i+1)
		}
	}
	return names
}

// Greeting is what the executor scenario's greet returns for one name.
type Greeting struct {
	// Text is the article's f"Hello, {name}!".
	Text string
	// Sum is the checksum of the kernel work done for this greeting.
	Sum uint64
}

// Greet is the article's greet with some CPU work added: it returns
// "Hello, name!" and the checksum of SquareNumbers over the i-th block of
// work iterations, [i×work, (i+1)×work), so that the greetings of names 0 to
// n-1 together cover [0, n×work) exactly once.
func Greet(i int, name string, work int) Greeting {
	return Greeting{Text: "Hello, " + name + "!", Sum: SquareNumbers(i*work, (i+1)*work)}
}

func executorResult(greetings []Greeting, workers, peak int) Result {
	texts := make([]string, len(greetings))
	var sum uint64
	for i, g := range greetings {
		texts[i] = g.Text
		sum += g.Sum
	}
	summary := "no names to greet"
	if len(texts) > 0 {
		summary = fmt.Sprintf("%d greetings in order, %q … %q", len(texts), texts[0], texts[len(texts)-1])
	}
	if workers > 0 {
		summary += fmt.Sprintf(" (%d workers, at most %d tasks at once)", workers, peak)
	} else {
		summary += " (one goroutine)"
	}
	return Result{Items: len(texts), Total: int64(sum), MaxConcurrent: peak, Summary: summary, Data: texts}
}

// taskGauge tracks how many tasks run at once, and the most seen.
type taskGauge struct{ now, peak atomic.Int64 }

func (c *taskGauge) enter() {
	n := c.now.Add(1)
	for {
		p := c.peak.Load()
		if n <= p || c.peak.CompareAndSwap(p, n) {
			return
		}
	}
}

func (c *taskGauge) exit() { c.now.Add(-1) }

func runExecutor(ctx context.Context, cfg Config) (Result, error) {
	type job struct {
		i    int
		name string
	}
	names := executorNames(cfg.Items)
	jobs := make([]job, len(names))
	for i, n := range names {
		jobs[i] = job{i, n}
	}
	var running taskGauge
	e := NewTaskExecutor(cfg.WorkerCount())
	greetings, err := MapTasks(ctx, e, jobs, func(ctx context.Context, j job) (Greeting, error) {
		if err := ctx.Err(); err != nil {
			return Greeting{}, err
		}
		running.enter()
		defer running.exit()
		return Greet(j.i, j.name, cfg.Work), nil
	})
	// MapTasks has waited for all its tasks: Shutdown only stops the workers.
	if serr := e.Shutdown(context.WithoutCancel(ctx)); err == nil {
		err = serr
	}
	if err != nil {
		return Result{}, err
	}
	return executorResult(greetings, cfg.WorkerCount(), int(running.peak.Load())), nil
}

func serialExecutor(ctx context.Context, cfg Config) (Result, error) {
	names := executorNames(cfg.Items)
	greetings := make([]Greeting, len(names))
	for i, n := range names {
		if err := ctx.Err(); err != nil {
			return Result{}, err
		}
		greetings[i] = Greet(i, n, cfg.Work)
	}
	return executorResult(greetings, 0, min(len(names), 1)), nil
}

func checkExecutor(cfg Config, res Result) error {
	texts, ok := res.Data.([]string)
	if !ok {
		return fmt.Errorf("result data is %T, want []string", res.Data)
	}
	want := make([]string, cfg.Items)
	for i, n := range executorNames(cfg.Items) {
		want[i] = "Hello, " + n + "!"
	}
	if !slices.Equal(want, texts) {
		if len(texts) != len(want) {
			return fmt.Errorf("%d greetings, want %d", len(texts), len(want))
		}
		for i := range want {
			if texts[i] != want[i] {
				return fmt.Errorf("greeting %d is %q, want %q: results out of input order", i, texts[i], want[i])
			}
		}
	}
	if res.MaxConcurrent > cfg.WorkerCount() {
		return fmt.Errorf("%d tasks ran at once on a pool of %d workers", res.MaxConcurrent, cfg.WorkerCount())
	}
	if sum := SquareNumbers(0, cfg.Items*cfg.Work); res.Total != int64(sum) {
		return fmt.Errorf("checksum %d, want %d: some work was lost or done twice", res.Total, int64(sum))
	}
	return nil
}

func init() {
	Register(Scenario{
		Name:    "executor",
		Section: Executor,
		Python:  executorPython,
		Doc:     "a fixed pool of goroutines with Submit returning futures and MapTasks returning results in input order; panics come back as errors",
		Kind:    CPU,
		// 1000 tasks of 400 000 kernel iterations: about 0.5 s on one core
		// (the kernel runs at about 1.2 ns an iteration), half a
		// millisecond a task, so that the pool's overhead per task is
		// small beside the work and the run scales with GOMAXPROCS.
		Defaults: Config{Workers: 0, Items: 1000, Work: 400_000},
		Run:      runExecutor,
		Serial:   serialExecutor,
		Check:    checkExecutor,
	})
}
