package scenarios

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
)

// ErrShutdown is the error of a [Future] whose task was submitted after
// [TaskExecutor.Shutdown] began, or was still queued when a Shutdown gave up
// waiting.
var ErrShutdown = errors.New("executor: shut down")

// errGoexit is the error of a task that called runtime.Goexit.
var errGoexit = errors.New("executor: task called runtime.Goexit")

// Future is the result of a task submitted to a [TaskExecutor]: it becomes
// ready once, when the task returns, panics, or is skipped because its
// context was done before it ran. Its methods are safe for concurrent use.
type Future[T any] struct {
	done chan struct{} // closed once val and err are final
	val  T
	err  error
}

// Done returns a channel that is closed when the result is ready.
func (f *Future[T]) Done() <-chan struct{} { return f.done }

// Get waits for the result and returns what the task returned, a
// *[PanicError] if it panicked, or its context's error (or [ErrShutdown]) if
// it never ran. If ctx is done first, Get returns ctx.Err() and the task
// goes on: cancelling a wait does not cancel the work (cancel the context
// given to [Submit] for that). A ready result is returned even if ctx is done.
func (f *Future[T]) Get(ctx context.Context) (T, error) {
	select {
	case <-f.done:
	case <-ctx.Done():
		select {
		case <-f.done:
		default:
			return *new(T), ctx.Err()
		}
	}
	return f.val, f.err
}

// run makes fn's outcome the result however fn ends: what it returns, a
// *PanicError if it panics, errGoexit if it calls runtime.Goexit.
func (f *Future[T]) run(fn func() (T, error)) {
	normal := false
	defer func() {
		if !normal {
			if r := recover(); r != nil {
				f.err = &PanicError{Value: r, Stack: debug.Stack()}
			} else {
				f.err = errGoexit
			}
		}
		close(f.done)
	}()
	f.val, f.err = fn()
	normal = true
}

// runner is a queued task: its context, for a Shutdown to cancel, and its call.
type runner interface {
	taskContext() *taskContext
	run()
}

// TaskExecutor runs submitted tasks on a fixed pool of goroutines, like
// Python's ThreadPoolExecutor: [Submit] queues a task and returns at once
// with a [Future]; the workers take tasks in submission order. The queue is
// unbounded, as Python's is: bound the work in flight with [MapTasks] or a
// semaphore. Make one with [NewTaskExecutor] and always end it with
// [TaskExecutor.Shutdown], which stops its workers.
type TaskExecutor struct {
	mu      sync.Mutex
	ready   sync.Cond // signalled when queue grows or closed is set
	queue   []runner  // queue[head:] are the tasks not yet started, oldest first
	head    int
	running []*taskContext // worker i's task's context
	closed  bool           // Shutdown began: Submit refuses new tasks
	killed  bool           // a Shutdown gave up: tasks are cancelled
	workers sync.WaitGroup
}

// NewTaskExecutor starts an executor with the given number of worker
// goroutines, at least one. The caller must call Shutdown.
func NewTaskExecutor(workers int) *TaskExecutor {
	e := &TaskExecutor{running: make([]*taskContext, max(workers, 1))}
	e.ready.L = &e.mu
	for i := range e.running {
		e.workers.Go(func() { e.work(i) })
	}
	return e
}

// work is worker i: it runs queued tasks until the queue is empty and
// Shutdown has begun. A task that calls runtime.Goexit ends the goroutine:
// a replacement then takes its place, so the pool keeps its size (its Add
// comes before this goroutine's Done, so Shutdown's Wait sees it).
func (e *TaskExecutor) work(i int) {
	running := false
	defer func() {
		if running {
			e.workers.Go(func() { e.work(i) })
		}
	}()
	for task := e.next(i); task != nil; task = e.next(i) {
		running = true
		task.run()
		running = false
	}
}

// next waits for a queued task and takes it as worker i's, killed at once if
// a Shutdown gave up. It returns nil once Shutdown began and nothing is queued.
func (e *TaskExecutor) next(i int) runner {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.running[i] = nil
	for e.head == len(e.queue) && !e.closed {
		e.ready.Wait()
	}
	if e.head == len(e.queue) {
		return nil
	}
	task := e.queue[e.head]
	e.queue[e.head] = nil
	// Once more were taken than are left, move the rest to the array's front.
	if e.head++; 2*e.head >= len(e.queue) {
		n := copy(e.queue, e.queue[e.head:])
		clear(e.queue[n:])
		e.queue, e.head = e.queue[:n], 0
	}
	if e.running[i] = task.taskContext(); e.killed {
		e.running[i].kill()
	}
	return task
}

// Submit queues f to run on one of e's workers and returns its [Future] at
// once. f gets a context derived from ctx, cancelled when f returns or (cause
// [ErrShutdown]) when a Shutdown gives up; a task whose context is done before
// it starts does not run. A panic in f comes back from Get as a *[PanicError].
// After Shutdown has begun, Submit returns a Future failed with ErrShutdown,
// as Python's submit raises RuntimeError.
func Submit[T any](ctx context.Context, e *TaskExecutor, f func(context.Context) (T, error)) *Future[T] {
	t := &task[T]{Future: Future[T]{done: make(chan struct{})}, ctx: taskContext{Context: ctx}, f: f}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		t.err = ErrShutdown
		close(t.done)
		return &t.Future
	}
	e.queue = append(e.queue, t)
	e.ready.Signal()
	return &t.Future
}

// task is a Submit's task, its context and its Future, in one allocation.
type task[T any] struct {
	Future[T]
	ctx taskContext
	f   func(context.Context) (T, error)
}

func (t *task[T]) taskContext() *taskContext { return &t.ctx }

// run runs f unless its context is already done.
func (t *task[T]) run() {
	defer t.ctx.end()
	t.Future.run(func() (T, error) {
		if t.ctx.Err() != nil {
			return *new(T), context.Cause(&t.ctx)
		}
		return t.f(&t.ctx)
	})
}

// MapTasks runs f on every input in e, at most as many at once as e has
// workers, and returns the outputs in input order, like Python's
// executor.map. It waits for the results in input order: at the first that
// failed, it cancels the calls still queued or running, waits for them, and
// returns that error wrapped with its index. If ctx is done first, it
// returns ctx.Err(). MapTasks never returns while a call it made is still
// running.
func MapTasks[In, Out any](ctx context.Context, e *TaskExecutor, inputs []In, f func(context.Context, In) (Out, error)) ([]Out, error) {
	mctx, cancel := context.WithCancel(ctx)
	defer cancel()
	futures := make([]*Future[Out], len(inputs))
	for i, in := range inputs {
		futures[i] = Submit(mctx, e, func(ctx context.Context) (Out, error) { return f(ctx, in) })
	}
	out := make([]Out, len(inputs))
	var err error
	for i, fut := range futures {
		<-fut.Done()
		if err == nil && fut.err != nil {
			err = fmt.Errorf("executor: map item %d: %w", i, fut.err)
			cancel()
		}
		out[i] = fut.val
	}
	if err != nil && ctx.Err() != nil {
		return nil, ctx.Err()
	} else if err != nil {
		return nil, err
	}
	return out, nil
}

// Shutdown stops e from accepting tasks, waits for every task submitted
// before it (queued ones included) to finish and for the workers to return,
// like Python's shutdown(wait=True). If ctx is done first, it cancels the
// contexts of the tasks running or queued (cause [ErrShutdown]), waits all
// the same, and returns ctx.Err(): it never leaves a goroutine behind, but a
// task that ignores its context keeps it waiting. Each call waits.
func (e *TaskExecutor) Shutdown(ctx context.Context) error {
	e.mu.Lock()
	e.closed = true
	e.ready.Broadcast()
	e.mu.Unlock()

	// If ctx is done first, cancel every task; the workers return once the
	// queue is empty, every task finished.
	gaveUp := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		defer close(gaveUp)
		e.mu.Lock()
		defer e.mu.Unlock()
		e.killed = true
		for _, task := range e.running {
			if task != nil {
				task.kill()
			}
		}
	})
	e.workers.Wait()
	if stop() {
		return nil
	}
	<-gaveUp
	return ctx.Err()
}
