package scenarios

import (
	"context"
	"fmt"
	"sync"
)

// CPUBoundPython is the article's one-Process-per-core example.
//
// cpu-bound and oversubscribe read Workers, Items and Work: the kernel runs
// over [0, Items×Work) (Items ranges of Work integers, the article's
// range(1_000_000) being one), split into Workers contiguous parts with
// [Split], one goroutine each. The work is fixed, whatever the number of
// workers (strong scaling; the article's program gives each process its own
// range, so its work grows with the cores). Result.Total is the checksum of
// [SquareNumbers] over the whole range, as an int64; the invariant is that
// it equals the serial checksum.
const CPUBoundPython = `def square_numbers():
    for i in range(1_000_000):
        i * i
for _ in range(multiprocessing.cpu_count()):
    p = multiprocessing.Process(target=square_numbers)
    processes.append(p)
    p.start()
for p in processes:
    p.join()`

// OversubscribePython is the article's warning against "spawning more
// processes than your CPU can handle". The oversubscribe scenario is
// cpu-bound's work over 256 goroutines whatever the cores; it reads what
// cpu-bound reads.
const OversubscribePython = `# "Spawning more processes than your CPU can handle"
for _ in range(256):
    p = multiprocessing.Process(target=square_numbers)
    p.start()`

// cpuBlock is how many kernel iterations run between two looks at the
// context: about a millisecond, so that a cancelled run stops promptly
// without the check costing anything measurable.
const cpuBlock = 1 << 20

// squareNumbersCtx is SquareNumbers(lo, hi) that gives up with ctx.Err()
// between blocks of cpuBlock iterations.
func squareNumbersCtx(ctx context.Context, lo, hi int) (uint64, error) {
	var sum uint64
	for lo < hi {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		end := min(lo+cpuBlock, hi)
		sum += SquareNumbers(lo, end)
		lo = end
	}
	return sum, nil
}

// SquareNumbersParallel runs SquareNumbers(0, n) split into workers
// contiguous parts, one goroutine each, and returns the checksum, which is
// the serial one whatever the split. Each goroutine keeps its running sum in
// a register and writes it once, so no per-worker slot is shared on a hot
// path. On cancellation it returns ctx.Err() after every goroutine has
// stopped.
func SquareNumbersParallel(ctx context.Context, workers, n int) (uint64, error) {
	parts := make([]uint64, max(workers, 1))
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	Split(n, workers, func(p, lo, hi int) {
		wg.Go(func() { parts[p], errs[p] = squareNumbersCtx(ctx, lo, hi) })
	})
	wg.Wait()
	var sum uint64
	for p := range parts {
		if errs[p] != nil {
			return 0, errs[p]
		}
		sum += parts[p]
	}
	return sum, nil
}

func cpuResult(cfg Config, how string, sum uint64) Result {
	return Result{
		Items:   cfg.Items,
		Total:   int64(sum),
		Summary: fmt.Sprintf("squared %d×%d integers (%s): checksum %#016x", cfg.Items, cfg.Work, how, sum),
	}
}

func cpuBoundRun(ctx context.Context, cfg Config) (Result, error) {
	workers := cfg.WorkerCount()
	sum, err := SquareNumbersParallel(ctx, workers, cfg.Items*cfg.Work)
	if err != nil {
		return Result{}, err
	}
	return cpuResult(cfg, fmt.Sprintf("%d goroutines", workers), sum), nil
}

func cpuBoundSerial(ctx context.Context, cfg Config) (Result, error) {
	sum, err := squareNumbersCtx(ctx, 0, cfg.Items*cfg.Work)
	if err != nil {
		return Result{}, err
	}
	return cpuResult(cfg, "one goroutine", sum), nil
}

func cpuBoundCheck(cfg Config, res Result) error {
	want := SquareNumbers(0, cfg.Items*cfg.Work)
	if uint64(res.Total) != want {
		return fmt.Errorf("checksum %#016x, want the serial checksum %#016x of SquareNumbers(0, %d×%d)",
			uint64(res.Total), want, cfg.Items, cfg.Work)
	}
	if res.Items != cfg.Items {
		return fmt.Errorf("%d ranges done, want %d", res.Items, cfg.Items)
	}
	return nil
}

func init() {
	// 400 ranges of the article's 1 000 000 integers: about half a second
	// of SquareNumbers on one core of the reference machine (≈1.2 ns an
	// iteration).
	const ranges, rangeLen = 400, 1_000_000
	Register(Scenario{
		Name:     "cpu-bound",
		Section:  ProcessPerCore,
		Python:   CPUBoundPython,
		Doc:      "square_numbers over a fixed range split into GOMAXPROCS contiguous parts, one goroutine each: no GIL, so goroutines are the processes",
		Kind:     CPU,
		Defaults: Config{Items: ranges, Work: rangeLen},
		Run:      cpuBoundRun,
		Serial:   cpuBoundSerial,
		Check:    cpuBoundCheck,
		Claim: Claim{
			Article: "One process per core, “each running independently on a different CPU core”: threads could not, because of the GIL.",
			Test:    Parallel,
			Expect:  Contradicts,
			Go:      "Go: goroutines in one process use the cores; processes not needed",
		},
		Reads: Workers | Items | Work,
	})
	Register(Scenario{
		Name:    "oversubscribe",
		Section: Mistakes,
		Python:  OversubscribePython,
		Doc: "the same fixed work as cpu-bound split over 256 goroutines whatever the cores: " +
			"the scheduler multiplexes them on GOMAXPROCS threads, so the cost that ruins a process pool is small here",
		Kind:     CPU,
		Defaults: Config{Workers: 256, Items: ranges, Work: rangeLen},
		Run:      cpuBoundRun,
		Serial:   cpuBoundSerial,
		Check:    cpuBoundCheck,
		Claim: Claim{
			Article: "“Spawning more processes than your CPU can handle” is a mistake.",
			Test:    Parallel,
			Expect:  Contradicts,
			Go:      "Go: 256 goroutines on a few cores still use them all; oversubscribing goroutines is cheap",
		},
		Reads: Workers | Items | Work,
	})
}
