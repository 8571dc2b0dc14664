package main

import (
	"time"

	"github.com/conclab/conclab/scenarios"
)

// The Go side of each comparison: the scenario that rebuilds the article's
// program, sized to its own work (see sizes). Each takes a flag or a size
// that makes it the zero-work run of the same program: the same workers
// started, the same items handed out, no computing or waiting.

// squares counts the integers squared, as the Python programs do, rather
// than the ranges.
func squares(cfg scenarios.Config, _ scenarios.Result) int { return cfg.Items * cfg.Work }

// ranges configures cpu-bound or process-pool for s's Go CPU work: Items
// ranges of goRange squares, none computed when work is false.
func ranges(s sizes, workers int, work bool) func(c *scenarios.Config) {
	return func(c *scenarios.Config) {
		c.Workers, c.Items, c.Work = workers, max(1, s.goSquares/s.goRange), s.goRange
		if !work {
			c.Work = 0
		}
	}
}

func goCPU(s sizes, workers int, work bool) runner {
	return goScenario("cpu-bound", ranges(s, workers, work), squares, true)
}

func goProcessPool(s sizes, workers int, work bool) runner {
	return goScenario("process-pool", ranges(s, workers, work), squares, true)
}

// goIO is download from memory: the waits, and nothing else.
func goIO(s sizes, latency time.Duration) runner {
	return goScenario("download", func(c *scenarios.Config) {
		c.Items, c.Latency, c.Backend = s.waits, latency, scenarios.BackendMemory
	}, nil, false)
}

// goPoolMap is pool-map with Work 0: the article's bare compute_square, n*n.
func goPoolMap(workers, items int) runner {
	return goScenario("pool-map", func(c *scenarios.Config) { c.Workers, c.Items, c.Work = workers, items, 0 }, nil, false)
}

// goExecutor is executor with Work 0: the article's greet, a string
// format and nothing else.
func goExecutor(workers, tasks int) runner {
	return goScenario("executor", func(c *scenarios.Config) { c.Workers, c.Items, c.Work = workers, tasks, 0 }, nil, false)
}

func goCounter(workers, incs int) runner {
	return goScenario("counter-mutex", func(c *scenarios.Config) { c.Workers, c.Items = workers, incs }, nil, false)
}
