// Package bench is a hunt corpus kernel: a sender blocked forever on an
// unbuffered channel after the receiver returned on ctx.Done().
//
// It has the shape of grpc#660 (the benchmark client's doCloseLoopUnary): each
// call runs in a goroutine that reports on an unbuffered done channel, and the
// loop returns on stop without draining it.
package bench

import "context"

// CallLoop issues calls until ctx is done and returns how many completed.
func CallLoop(ctx context.Context, call func() error) int {
	n := 0
	for {
		done := make(chan error) // bug: unbuffered, the last sender is stranded
		go func() { done <- call() }()
		select {
		case <-ctx.Done():
			return n
		case <-done:
			n++
		}
	}
}
