package scenarios_test

import (
	"context"
	"fmt"

	"github.com/conclab/conclab/scenarios"
)

// The article's Lock example: five workers add 10 000 each to a counter
// guarded by a mutex, and not one increment is lost.
func ExampleMutexCounter() {
	var c scenarios.MutexCounter
	n, err := scenarios.Count(context.Background(), &c, scenarios.Config{Workers: 5, Items: 10_000})
	fmt.Println(n, err)
	// Output: 50000 <nil>
}

// Every scenario is found by name, run with its defaults and checked
// against its invariant.
func ExampleLookup() {
	s, err := scenarios.Lookup("counter-sharded")
	if err != nil {
		panic(err)
	}
	res, err := s.Run(context.Background(), s.Defaults)
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Total, s.Check(s.Defaults, res))
	// Output: 50000 <nil>
}
