package main

import "github.com/conclab/conclab/scenarios"

// The Go side of each comparison: the scenario that rebuilds the article's
// program, sized to the same work as the Python one.

// squareRange is the length of one range of the CPU work, the article's
// range(1_000_000): cpu-bound and process-pool compute SquareNumbers(0,
// Items×Work).
const squareRange = 1_000_000

// squares counts the integers squared, as the Python programs do, rather
// than the ranges.
func squares(cfg scenarios.Config, _ scenarios.Result) int { return cfg.Items * cfg.Work }

func goCPU(s sizes) runner {
	return goScenario("cpu-bound", func(c *scenarios.Config, w int) {
		c.Workers, c.Items, c.Work = w, max(1, s.squares/squareRange), squareRange
	}, squares)
}

func goProcessPool(s sizes) runner {
	return goScenario("process-pool", func(c *scenarios.Config, w int) {
		c.Workers, c.Items, c.Work = w, max(1, s.squares/squareRange), squareRange
	}, squares)
}

func goIO(s sizes) runner {
	return goScenario("download", func(c *scenarios.Config, w int) {
		c.Workers, c.Items, c.Latency, c.Backend = w, s.waits, s.latency, scenarios.BackendMemory
	}, nil)
}

func goPoolMap(s sizes) runner {
	// Work 0: the article's bare compute_square, n*n.
	return goScenario("pool-map", func(c *scenarios.Config, w int) { c.Workers, c.Items, c.Work = w, s.mapItems, 0 }, nil)
}

func goExecutor(s sizes) runner {
	// Work 0: the article's greet, a string format and nothing else.
	return goScenario("executor", func(c *scenarios.Config, w int) { c.Workers, c.Items, c.Work = w, s.tasks, 0 }, nil)
}
