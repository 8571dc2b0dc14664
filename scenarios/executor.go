package scenarios

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
)

// ExecutorPython is the article's concurrent.futures example, rebuilt as
// [TaskExecutor], a fixed pool of goroutines, with [Submit] returning a
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
const ExecutorPython = `from concurrent.futures import ThreadPoolExecutor

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
	ready atomic.Bool // set once val and err are final
	mu    sync.Mutex  // guards done
	done  chan struct{}
	val   T
	err   error
}

// closedChan is the Done channel of a Future that was ready before anyone
// asked for one: most futures are never waited on through a channel, and
// need not make one.
var closedChan = func() chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}()

func (f *Future[T]) set(v T, err error) {
	f.val, f.err = v, err
	f.mu.Lock()
	f.ready.Store(true)
	if f.done == nil {
		f.done = closedChan
	} else {
		close(f.done)
	}
	f.mu.Unlock()
}

// Done returns a channel that is closed when the result is ready.
func (f *Future[T]) Done() <-chan struct{} {
	if f.ready.Load() {
		return closedChan
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.done == nil {
		f.done = make(chan struct{})
	}
	return f.done
}

// Get waits for the result and returns what the task returned. If the task
// panicked, the error is a *[PanicError]; if it never ran because its
// context was done first, the error is that context's error (or
// [ErrShutdown]). If ctx is done before the result is ready, Get returns
// ctx.Err() and the task goes on: a Future is a receipt, and cancelling a
// wait does not cancel the work (cancel the context given to [Submit] for
// that). A result that is already ready is returned even if ctx is done.
func (f *Future[T]) Get(ctx context.Context) (T, error) {
	if f.ready.Load() {
		return f.val, f.err
	}
	select {
	case <-f.Done():
		return f.val, f.err
	case <-ctx.Done():
		if f.ready.Load() {
			return f.val, f.err
		}
		var zero T
		return zero, ctx.Err()
	}
}

// runner is a queued task: a Submit's task, or one item of a MapTasks. It
// recovers its own panics; only runtime.Goexit gets out of run.
type runner interface {
	run()
	// release returns the task's hold on the context link it ran with.
	// It is called with the executor's mu held.
	release()
}

// taskQueue is a FIFO of runners in a ring buffer that grows as needed and
// is reused, so that a steady stream of tasks allocates nothing.
type taskQueue struct {
	buf  []runner
	head int // index of the oldest runner in buf
	n    int // number of runners queued
}

func (q *taskQueue) push(r runner) {
	if q.n == len(q.buf) {
		buf := make([]runner, max(2*len(q.buf), 64))
		copied := copy(buf, q.buf[q.head:])
		copy(buf[copied:], q.buf[:q.head])
		q.buf, q.head = buf, 0
	}
	q.buf[(q.head+q.n)%len(q.buf)] = r
	q.n++
}

func (q *taskQueue) pop() runner {
	r := q.buf[q.head]
	q.buf[q.head] = nil
	q.head = (q.head + 1) % len(q.buf)
	q.n--
	return r
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
	queue   taskQueue     // tasks not yet started, oldest first
	closed  bool          // Shutdown began: Submit refuses new tasks
	pending int           // tasks submitted and not yet finished
	drained chan struct{} // closed once closed is set and pending is 0
	last    *ctxLink      // the link of the latest Submit, kept for the next

	workers sync.WaitGroup
	kill    context.Context // cancelled when a Shutdown gives up waiting
	stop    context.CancelCauseFunc
}

// ctxLink is a context derived from a Submit's context that is also
// cancelled when a Shutdown gives up waiting. Tasks submitted one after
// another with the same context share one link, instead of paying for a
// context.WithCancelCause and a context.AfterFunc each: the executor keeps
// its latest link while tasks use it, and the one before it until its last
// task is done.
type ctxLink struct {
	parent context.Context
	ctx    context.Context
	cancel context.CancelCauseFunc
	unhook func() bool
	refs   int // tasks queued or running with ctx; guarded by the executor's mu
}

func newCtxLink(parent, kill context.Context) *ctxLink {
	l := &ctxLink{parent: parent}
	l.ctx, l.cancel = context.WithCancelCause(parent)
	l.unhook = context.AfterFunc(kill, func() { l.cancel(context.Cause(kill)) })
	return l
}

func (l *ctxLink) close() {
	l.unhook()
	l.cancel(nil)
}

// link returns the context link for a task submitted with ctx, holding it
// for the task. e.mu must be held.
func (e *TaskExecutor) link(ctx context.Context) *ctxLink {
	l := e.last
	if l == nil || !sameContext(l.parent, ctx) {
		if l != nil && l.refs == 0 {
			l.close()
		}
		l = newCtxLink(ctx, e.kill)
		e.last = l
	}
	l.refs++
	return l
}

// unlink lets go of a task's hold on l. e.mu must be held.
func (e *TaskExecutor) unlink(l *ctxLink) {
	l.refs--
	if l.refs == 0 && l != e.last {
		l.close()
	}
}

// sameContext reports whether a and b are the same context, without
// panicking on a Context implementation whose type is not comparable.
func sameContext(a, b context.Context) bool {
	if t := reflect.TypeOf(a); t != reflect.TypeOf(b) || !t.Comparable() {
		return false
	}
	return a == b
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
// and Shutdown has begun. It accounts for each task it ran when it next
// takes the lock, to take it once a task.
func (e *TaskExecutor) work() {
	var ran runner
	for {
		e.mu.Lock()
		if ran != nil {
			e.finish(ran)
			ran = nil
		}
		for e.queue.n == 0 && !e.closed {
			e.ready.Wait()
		}
		if e.queue.n == 0 {
			e.mu.Unlock()
			return
		}
		r := e.queue.pop()
		e.mu.Unlock()

		e.run(r)
		ran = r
	}
}

// run runs one task. Panics are recovered inside the task; only
// runtime.Goexit gets out, and it ends the worker goroutine: run then starts
// a replacement so that the pool keeps its size, and accounts for the task
// itself. The replacement's Add happens before this worker's Done, so
// Shutdown's Wait cannot miss it.
func (e *TaskExecutor) run(r runner) {
	normal := false
	defer func() {
		if !normal {
			e.workers.Go(e.work)
			e.mu.Lock()
			e.finish(r)
			e.mu.Unlock()
		}
	}()
	r.run()
	normal = true
}

// finish accounts for one task that is done, however it ended. e.mu must be
// held.
func (e *TaskExecutor) finish(r runner) {
	r.release()
	e.pending--
	if e.pending == 0 && e.closed {
		close(e.drained)
	}
}

// guard calls f and hands its outcome to set, exactly once however f ends:
// its result, a *PanicError if it panics, or errGoexit if it calls
// runtime.Goexit (set then runs while the goroutine unwinds, since nothing
// after f would).
func guard[T any](f func() (T, error), set func(T, error)) {
	normal := false
	defer func() {
		if normal {
			return
		}
		if r := recover(); r != nil {
			set(*new(T), &PanicError{Value: r, Stack: debug.Stack()})
			return
		}
		set(*new(T), errGoexit)
	}()
	v, err := f()
	normal = true
	set(v, err)
}

// task is a Submit's task and its Future, in one allocation.
type task[T any] struct {
	Future[T]
	e    *TaskExecutor
	ctx  context.Context // the context given to Submit
	link *ctxLink        // ctx, also cancelled when a Shutdown gives up
	f    func(context.Context) (T, error)
}

func (t *task[T]) run() {
	if err := t.ctx.Err(); err != nil {
		t.set(*new(T), err)
		return
	}
	if t.e.kill.Err() != nil {
		t.set(*new(T), context.Cause(t.e.kill))
		return
	}
	guard(func() (T, error) { return t.f(t.link.ctx) }, t.set)
}

func (t *task[T]) release() { t.e.unlink(t.link) }

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
	t := &task[T]{e: e, ctx: ctx, f: f}
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		t.set(*new(T), ErrShutdown)
		return &t.Future
	}
	t.link = e.link(ctx)
	e.pending++
	e.queue.push(t)
	e.ready.Signal()
	e.mu.Unlock()
	return &t.Future
}

// mapBatch is one call of MapTasks: its items are queued as runners
// pointing into one slice, and report to the caller through one channel.
type mapBatch[In, Out any] struct {
	e      *TaskExecutor
	parent context.Context // the context given to MapTasks
	ctx    context.Context // parent, also cancelled on a failure or a Shutdown giving up
	f      func(context.Context, In) (Out, error)
	in     []In
	out    []Out
	items  []mapItem[In, Out]
	notify chan struct{} // a token after an item is done, for the caller to look
}

// mapItem is the call of a MapTasks on its i-th input.
type mapItem[In, Out any] struct {
	b    *mapBatch[In, Out]
	i    int
	err  error
	done atomic.Bool
}

func (it *mapItem[In, Out]) finish(v Out, err error) {
	b := it.b
	b.out[it.i], it.err = v, err
	it.done.Store(true)
	select {
	case b.notify <- struct{}{}:
	default: // a token is already there: the caller will look again
	}
}

func (it *mapItem[In, Out]) run() {
	b := it.b
	if err := b.parent.Err(); err != nil {
		it.finish(*new(Out), err)
		return
	}
	if b.e.kill.Err() != nil {
		it.finish(*new(Out), context.Cause(b.e.kill))
		return
	}
	if err := b.ctx.Err(); err != nil {
		it.finish(*new(Out), err)
		return
	}
	guard(func() (Out, error) { return b.f(b.ctx, b.in[it.i]) }, it.finish)
}

func (it *mapItem[In, Out]) release() {}

// wait waits until item i is done, or ctx is done; it reports whether the
// item is done.
func (b *mapBatch[In, Out]) wait(ctx context.Context, i int) bool {
	for !b.items[i].done.Load() {
		select {
		case <-b.notify:
		case <-ctx.Done():
			return b.items[i].done.Load()
		}
	}
	return true
}

// MapTasks runs f on every input in e, at most as many at once as e has
// workers, and returns the outputs in input order, like Python's
// executor.map. If a call fails, MapTasks cancels the calls still queued or
// running, waits for them, and returns the error of the failed call that
// comes first in input order, wrapped with its index. If ctx is done first,
// it cancels the calls, waits for them, and returns ctx.Err(). MapTasks
// never returns while a call it made is still running.
func MapTasks[In, Out any](ctx context.Context, e *TaskExecutor, inputs []In, f func(context.Context, In) (Out, error)) ([]Out, error) {
	out := make([]Out, len(inputs))
	if len(inputs) == 0 {
		return out, nil
	}
	b := &mapBatch[In, Out]{e: e, parent: ctx, f: f, in: inputs, out: out, notify: make(chan struct{}, 1)}
	var cancel context.CancelCauseFunc
	b.ctx, cancel = context.WithCancelCause(ctx)
	defer cancel(nil)
	unhook := context.AfterFunc(e.kill, func() { cancel(context.Cause(e.kill)) })
	defer unhook()
	b.items = make([]mapItem[In, Out], len(inputs))

	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil, fmt.Errorf("executor: map item %d: %w", 0, ErrShutdown)
	}
	for i := range b.items {
		it := &b.items[i]
		it.b, it.i = b, i
		e.queue.push(it)
	}
	e.pending += len(b.items)
	e.ready.Broadcast()
	e.mu.Unlock()

	for i := range b.items {
		if b.wait(ctx, i) && b.items[i].err == nil {
			continue
		}
		cancel(nil)
		for j := i; j < len(b.items); j++ {
			b.wait(context.Background(), j)
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("executor: map item %d: %w", i, b.items[i].err)
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
	e.mu.Lock()
	if l := e.last; l != nil {
		e.last = nil
		if l.refs == 0 {
			l.close()
		}
	}
	e.mu.Unlock()
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
		Python:  ExecutorPython,
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
		Claim: Claim{
			Article: "“Use concurrent.futures for a unified, high-level interface”.",
			Test:    Parallel,
			Expect:  Supports,
			Go:      "Go: a pool of goroutines with futures runs CPU tasks on every core, which Python's thread pool cannot",
		},
		Reads: Workers | Items | Work,
	})
}
