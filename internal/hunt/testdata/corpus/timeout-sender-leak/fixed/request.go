// Package request is the fixed twin of a hunt corpus kernel (sender leaked
// after a timeout, kubernetes#5316): the result channel has room for the one
// result, so the sender never blocks.
package request

import (
	"errors"
	"time"
)

// ErrTimeout is returned when fn did not finish in time.
var ErrTimeout = errors.New("request: timed out")

type result struct {
	v   string
	err error
}

// FinishRequest runs fn and waits at most timeout for its result.
func FinishRequest(timeout time.Duration, fn func() (string, error)) (string, error) {
	ch := make(chan result, 1)
	go func() {
		v, err := fn()
		ch <- result{v, err}
	}()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-time.After(timeout):
		return "", ErrTimeout
	}
}
