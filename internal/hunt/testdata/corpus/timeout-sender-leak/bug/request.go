// Package request is a hunt corpus kernel: a sender blocked forever on an
// unbuffered result channel after the receiver returned on a timeout.
//
// It has the shape of kubernetes#5316 (finishRequest, also Figure 1 of
// "Understanding Real-World Concurrency Bugs in Go"): the handler runs in a
// goroutine that sends its result on an unbuffered channel; when the timeout
// wins, nobody ever receives and the goroutine leaks.
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
	ch := make(chan result) // bug: unbuffered, the sender blocks if we time out
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
