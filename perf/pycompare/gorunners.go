package main

import "github.com/conclab/conclab/scenarios"

// The Go side of each comparison: the scenario that rebuilds the article's
// program, sized to the same work as the Python one.

func goCPU(s sizes) runner {
	return goScenario("cpu-bound", func(c *scenarios.Config, w int) { c.Workers, c.Items = w, s.squares })
}

func goProcessPool(s sizes) runner {
	return goScenario("process-pool", func(c *scenarios.Config, w int) { c.Workers, c.Items = w, s.squares })
}

func goIO(s sizes) runner {
	return goScenario("download", func(c *scenarios.Config, w int) {
		c.Workers, c.Items, c.Latency, c.Backend = w, s.waits, s.latency, scenarios.BackendMemory
	})
}

func goPoolMap(s sizes) runner {
	return goScenario("pool-map", func(c *scenarios.Config, w int) { c.Workers, c.Items = w, s.mapItems })
}

func goExecutor(s sizes) runner {
	return goScenario("executor", func(c *scenarios.Config, w int) { c.Workers, c.Items = w, s.tasks })
}
