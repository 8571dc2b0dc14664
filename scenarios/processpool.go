package scenarios

import (
	"context"
	"fmt"
	"sync/atomic"

	"golang.org/x/sync/errgroup"
)

// ProcessPoolPython is the article's closing advice, "You can also use
// ProcessPoolExecutor for CPU-bound tasks", taken literally: the CPU-bound kernel spread over real
// operating-system processes, copies of the running binary that talk to the
// parent over pipes. Go needs no processes to use every core (goroutines
// already run in parallel); the scenario exists to measure what a process
// boundary costs beside the goroutine versions of the same work.
//
// The process-pool scenario reads Workers (processes; 0 means GOMAXPROCS),
// Items (the number of ranges the work is cut into, handed to whichever
// process is free) and Work (kernel iterations in each range): it computes
// SquareNumbers(0, Items×Work). Result.Total is the checksum, which must
// equal the serial one; Result.MaxConcurrent is the number of processes.
const ProcessPoolPython = `# "You can also use ProcessPoolExecutor for CPU-bound tasks."
def square_numbers():
    for i in range(1_000_000):
        i * i

if __name__ == "__main__":
    for _ in range(multiprocessing.cpu_count()):
        p = multiprocessing.Process(target=square_numbers)`

// SquareNumbersInProcesses computes SquareNumbers(0, parts×work) in procs
// worker processes: the range is cut into parts ranges of work iterations,
// each handed to whichever process is free. It returns the checksum, equal
// to the serial one, or the first error, after every process has been
// reaped.
func SquareNumbersInProcesses(ctx context.Context, procs, parts, work int) (uint64, error) {
	pool, err := StartSubprocessPool(ctx, procs)
	if err != nil {
		return 0, err
	}
	sum, err := squareNumbersInPool(ctx, pool, parts, work)
	if cerr := pool.Close(); err == nil {
		err = cerr
	}
	return sum, err
}

func squareNumbersInPool(ctx context.Context, pool *SubprocessPool, parts, work int) (uint64, error) {
	sums := make([]uint64, parts)
	var next atomic.Int64
	g, ctx := errgroup.WithContext(ctx)
	// One feeder per process: each takes the next range, so that a fast
	// process is never idle while a slow one holds a queue of its own.
	for range len(pool.workers) {
		g.Go(func() error {
			for {
				i := int(next.Add(1) - 1)
				if i >= parts {
					return nil
				}
				s, err := pool.SquareNumbers(ctx, i*work, (i+1)*work)
				if err != nil {
					return err
				}
				sums[i] = s
			}
		})
	}
	if err := g.Wait(); err != nil {
		return 0, err
	}
	var sum uint64
	for _, s := range sums {
		sum += s
	}
	return sum, nil
}

func runProcessPool(ctx context.Context, cfg Config) (Result, error) {
	procs := cfg.WorkerCount()
	sum, err := SquareNumbersInProcesses(ctx, procs, cfg.Items, cfg.Work)
	if err != nil {
		return Result{}, err
	}
	return Result{
		Items:         cfg.Items,
		Total:         int64(sum),
		MaxConcurrent: procs,
		Summary: fmt.Sprintf("checksum %#016x of %d squares: %d ranges over %d worker processes",
			sum, cfg.Items*cfg.Work, cfg.Items, procs),
	}, nil
}

func serialProcessPool(ctx context.Context, cfg Config) (Result, error) {
	var sum uint64
	for i := range cfg.Items {
		if err := ctx.Err(); err != nil {
			return Result{}, err
		}
		sum += SquareNumbers(i*cfg.Work, (i+1)*cfg.Work)
	}
	return Result{
		Items:   cfg.Items,
		Total:   int64(sum),
		Summary: fmt.Sprintf("checksum %#016x of %d squares in this process, one goroutine", sum, cfg.Items*cfg.Work),
	}, nil
}

func checkProcessPool(cfg Config, res Result) error {
	if want := int64(SquareNumbers(0, cfg.Items*cfg.Work)); res.Total != want {
		return fmt.Errorf("checksum %#016x, want %#016x: a range was lost, done twice or corrupted", uint64(res.Total), uint64(want))
	}
	return nil
}

func init() {
	Register(Scenario{
		Name:    "process-pool",
		Section: ProcessPool,
		Python:  ProcessPoolPython,
		Doc:     "the CPU-bound kernel in worker processes (this binary re-executed) fed ranges over stdin/stdout in a framed protocol",
		Kind:    CPU,
		// 64 ranges of 6.25 million iterations: 400 million squares, about
		// 0.5 s on one core (the kernel runs at about 1.2 ns an
		// iteration). A range takes about 8 ms, so the round trip to a
		// process (tens of microseconds) is small beside it, and 64 ranges
		// keep 2 to 8 processes evenly busy.
		Defaults: Config{Workers: 0, Items: 64, Work: 6_250_000},
		Run:      runProcessPool,
		Serial:   serialProcessPool,
		Check:    checkProcessPool,
		Claim: Claim{
			Article: "“You can also use ProcessPoolExecutor for CPU-bound tasks.”",
			Test:    Parallel,
			Expect:  Supports,
			Go:      "Go: worker processes use the cores too, at the cost of start-up and serialisation that goroutines do without",
		},
		Reads:     Workers | Items | Work,
		Processes: true,
	})
}
