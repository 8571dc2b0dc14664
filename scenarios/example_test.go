package scenarios_test

import (
	"context"
	"errors"
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

// The article's ThreadPoolExecutor example: three workers greet three
// names, and the greetings come back in the order of the names.
func ExampleMapTasks() {
	greet := func(_ context.Context, name string) (string, error) {
		return fmt.Sprintf("Hello, %s!", name), nil
	}
	e := scenarios.NewTaskExecutor(3)
	results, err := scenarios.MapTasks(context.Background(), e, []string{"Alice", "Bob", "Charlie"}, greet)
	if err != nil {
		panic(err)
	}
	if err := e.Shutdown(context.Background()); err != nil {
		panic(err)
	}
	for _, res := range results {
		fmt.Println(res)
	}
	// Output:
	// Hello, Alice!
	// Hello, Bob!
	// Hello, Charlie!
}

// A task that panics does not crash the program: the panic comes back as
// the error of its future.
func ExampleSubmit() {
	e := scenarios.NewTaskExecutor(1)
	defer e.Shutdown(context.Background())
	greetings := map[string]string{"Alice": "Hello, Alice!"}
	f := scenarios.Submit(context.Background(), e, func(context.Context) (string, error) {
		g, ok := greetings["Dave"]
		if !ok {
			panic("no greeting for Dave")
		}
		return g, nil
	})
	_, err := f.Get(context.Background())
	var pe *scenarios.PanicError
	fmt.Println(errors.As(err, &pe), pe.Value)
	// Output: true no greeting for Dave
}

// "You can also use ProcessPoolExecutor for CPU-bound tasks": two worker
// processes (copies of this binary) compute the kernel over eight ranges,
// and the checksum is the one a single goroutine computes.
func ExampleSquareNumbersInProcesses() {
	sum, err := scenarios.SquareNumbersInProcesses(context.Background(), 2, 8, 1000)
	fmt.Println(sum == scenarios.SquareNumbers(0, 8*1000), err)
	// Output: true <nil>
}
