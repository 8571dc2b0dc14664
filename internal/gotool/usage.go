package gotool

import "fmt"

// A UsageError is bad input from the user, not a failure of the tool: a
// pattern that is no Go package, a package without tests or benchmarks, a
// module that does not build, an unknown base ref. The verbs that run a
// user's code return one, and the command exits with status 2 on it.
type UsageError struct {
	Msg    string
	Detail string // the compiler's first lines, when a build failed
}

func (e *UsageError) Error() string { return e.Msg }

// Usagef returns a [*UsageError] with the formatted message.
func Usagef(format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}
