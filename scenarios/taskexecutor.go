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

// runner is a queued task: run calls it, fail ends it uncalled.
type runner interface {
	run()
	fail(err error)
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
	closed  bool // Shutdown began: Submit refuses new tasks
	workers sync.WaitGroup
}

// NewTaskExecutor starts an executor with the given number of worker
// goroutines, at least one. The caller must call Shutdown.
func NewTaskExecutor(workers int) *TaskExecutor {
	e := new(TaskExecutor)
	e.ready.L = &e.mu
	for range max(workers, 1) {
		e.workers.Go(e.work)
	}
	return e
}

// work is a worker: it runs queued tasks until the queue is empty and
// Shutdown has begun. A task that calls runtime.Goexit ends the goroutine:
// a replacement then takes its place, so the pool keeps its size (its Add
// comes before this goroutine's Done, so Shutdown's Wait sees it).
func (e *TaskExecutor) work() {
	var task runner // not nil while one runs
	defer func() {
		if task != nil {
			e.workers.Go(e.work)
		}
	}()
	for task = e.next(); task != nil; task = e.next() {
		task.run()
	}
}

// next waits for a queued task and takes it. It returns nil once Shutdown
// began and nothing is queued.
func (e *TaskExecutor) next() runner {
	e.mu.Lock()
	defer e.mu.Unlock()
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
	return task
}

// Submit queues f to run on one of e's workers and returns its [Future] at
// once. f gets ctx; a task whose ctx is done before it starts does not run.
// To stop a running task, cancel ctx: neither Get nor Shutdown does. A panic
// in f comes back from Get as a *[PanicError]. After Shutdown has begun,
// Submit returns a Future failed with ErrShutdown, as Python's submit raises
// RuntimeError.
func Submit[T any](ctx context.Context, e *TaskExecutor, f func(context.Context) (T, error)) *Future[T] {
	t := &task[T]{Future: Future[T]{done: make(chan struct{})}, ctx: ctx, f: f}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		t.fail(ErrShutdown)
	} else {
		e.queue = append(e.queue, t)
		e.ready.Signal()
	}
	return &t.Future
}

// task is a Submit's call, with its context and its Future, in one allocation.
type task[T any] struct {
	Future[T]
	ctx context.Context
	f   func(context.Context) (T, error)
}

func (t *task[T]) fail(err error) {
	t.err = err
	close(t.done)
}

// run calls f unless its context is already done.
func (t *task[T]) run() {
	t.Future.run(func() (T, error) {
		if t.ctx.Err() != nil {
			return *new(T), context.Cause(t.ctx)
		}
		return t.f(t.ctx)
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
// like Python's shutdown(wait=True). If ctx is done first, the tasks still
// queued never run: their Futures fail with [ErrShutdown], as Python's
// shutdown(cancel_futures=True) cancels its pending futures. Shutdown then
// waits for the running tasks all the same and returns ctx.Err(): it never
// leaves a goroutine behind, so cancel the contexts given to [Submit] to
// stop the running tasks sooner. Each call waits.
func (e *TaskExecutor) Shutdown(ctx context.Context) error {
	e.mu.Lock()
	e.closed = true
	e.ready.Broadcast()
	e.mu.Unlock()

	gaveUp := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		defer close(gaveUp)
		e.mu.Lock()
		queued := e.queue[e.head:]
		e.queue, e.head = nil, 0
		e.mu.Unlock()
		for _, task := range queued {
			task.fail(ErrShutdown)
		}
	})
	e.workers.Wait()
	if stop() {
		return nil
	}
	<-gaveUp
	return ctx.Err()
}
