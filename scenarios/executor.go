package scenarios

import (
	"context"
	"fmt"
	"slices"
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
	var running Gauge
	e := NewTaskExecutor(cfg.WorkerCount())
	greetings, err := MapTasks(ctx, e, jobs, func(ctx context.Context, j job) (Greeting, error) {
		if err := ctx.Err(); err != nil {
			return Greeting{}, err
		}
		running.Enter()
		defer running.Leave()
		return Greet(j.i, j.name, cfg.Work), nil
	})
	// MapTasks has waited for all its tasks: Shutdown only stops the workers.
	if serr := e.Shutdown(context.WithoutCancel(ctx)); err == nil {
		err = serr
	}
	if err != nil {
		return Result{}, err
	}
	return executorResult(greetings, cfg.WorkerCount(), running.Peak()), nil
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
