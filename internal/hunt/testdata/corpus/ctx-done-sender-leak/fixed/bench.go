// Package bench is the fixed twin of a hunt corpus kernel (sender leaked after
// ctx.Done, grpc#660): done has room for the one result, so the last call's
// goroutine finishes even when nobody receives.
package bench

import "context"

// CallLoop issues calls until ctx is done and returns how many completed.
func CallLoop(ctx context.Context, call func() error) int {
	n := 0
	for {
		done := make(chan error, 1)
		go func() { done <- call() }()
		select {
		case <-ctx.Done():
			return n
		case <-done:
			n++
		}
	}
}
