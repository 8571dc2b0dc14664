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

// run calls fn and makes its outcome the result, however fn ends: what it
// returns, a *PanicError if it panics, or errGoexit if it calls
// runtime.Goexit (the deferred call still runs while the goroutine unwinds).
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

// runner is a queued task.
type runner interface{ run() }

// TaskExecutor runs submitted tasks on a fixed pool of goroutines, like
// Python's ThreadPoolExecutor: [Submit] queues a task and returns at once
// with a [Future]; the workers take tasks in submission order. The queue is
// unbounded, as Python's is: bound the work in flight with [MapTasks] or a
// semaphore. Make one with [NewTaskExecutor] and always end it with
// [TaskExecutor.Shutdown], which stops its workers.
type TaskExecutor struct {
	mu      sync.Mutex
	ready   sync.Cond     // signalled when queue grows or closed is set
	queue   []runner      // tasks not yet started, oldest first
	closed  bool          // Shutdown began: Submit refuses new tasks
	live    int           // workers not yet returned
	drained chan struct{} // closed when the last worker returns

	workers sync.WaitGroup
	kill    context.Context // cancelled when a Shutdown gives up waiting
	stop    context.CancelCauseFunc
}

// NewTaskExecutor starts an executor with the given number of worker
// goroutines, at least one. The caller must call Shutdown.
func NewTaskExecutor(workers int) *TaskExecutor {
	e := &TaskExecutor{live: max(workers, 1), drained: make(chan struct{})}
	e.ready.L = &e.mu
	e.kill, e.stop = context.WithCancelCause(context.Background())
	for range e.live {
		e.workers.Go(e.work)
	}
	return e
}

// work is a worker goroutine: it runs queued tasks until the queue is empty
// and Shutdown has begun. A task that calls runtime.Goexit ends the
// goroutine: a replacement then takes its place, so the pool keeps its size
// (its Add comes before this goroutine's Done, so Shutdown's Wait sees it).
func (e *TaskExecutor) work() {
	running := false
	defer func() {
		if running {
			e.workers.Go(e.work)
		}
	}()
	for task := e.next(); task != nil; task = e.next() {
		running = true
		task.run()
		running = false
	}
}

// next waits for a queued task and takes it. It returns nil once the queue
// is empty and Shutdown has begun: the worker then returns.
func (e *TaskExecutor) next() runner {
	e.mu.Lock()
	defer e.mu.Unlock()
	for len(e.queue) == 0 && !e.closed {
		e.ready.Wait()
	}
	if len(e.queue) == 0 {
		if e.live--; e.live == 0 {
			close(e.drained)
		}
		return nil
	}
	task := e.queue[0]
	e.queue[0] = nil
	e.queue = e.queue[1:]
	return task
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
	t := &task[T]{Future: Future[T]{done: make(chan struct{})}, e: e, ctx: ctx, f: f}
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

// task is a Submit's task and its Future, in one allocation.
type task[T any] struct {
	Future[T]
	e   *TaskExecutor
	ctx context.Context
	f   func(context.Context) (T, error)
}

// run runs the task unless its context is done or a Shutdown gave up.
func (t *task[T]) run() {
	t.Future.run(func() (T, error) {
		if err := t.ctx.Err(); err != nil {
			return *new(T), err
		}
		if err := context.Cause(t.e.kill); err != nil {
			return *new(T), err
		}
		ctx, cancel := context.WithCancelCause(t.ctx)
		defer cancel(nil)
		defer context.AfterFunc(t.e.kill, func() { cancel(context.Cause(t.e.kill)) })()
		return t.f(ctx)
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
	if err != nil {
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		return nil, err
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
	e.closed = true
	e.ready.Broadcast()
	e.mu.Unlock()

	var err error
	select {
	case <-e.drained:
	case <-ctx.Done():
		err = ctx.Err()
		e.stop(ErrShutdown)
	}
	e.workers.Wait()
	e.stop(nil)
	return err
}
