package scenarios

import "fmt"

// PanicError is the error of a task that panicked, returned by [Future.Get],
// [MapTasks] and [PoolMap]: they recover at the task's boundary, as Python's
// futures and Pool.map do, and hand the panic to whoever waits for the
// result instead of crashing the program.
type PanicError struct {
	// Value is what the task passed to panic.
	Value any
	// Stack is the panicking goroutine's stack, from runtime/debug.Stack.
	Stack []byte
}

// Error returns the panic value and the stack, as the runtime would print
// them.
func (p *PanicError) Error() string {
	return fmt.Sprintf("task panicked: %v\n\n%s", p.Value, p.Stack)
}

// Unwrap returns the panic value if it is an error, so that errors.Is and
// errors.As see through the panic.
func (p *PanicError) Unwrap() error {
	err, _ := p.Value.(error)
	return err
}
