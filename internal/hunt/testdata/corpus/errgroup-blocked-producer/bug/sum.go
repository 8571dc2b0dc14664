// Package sum is a hunt corpus kernel: an errgroup whose failed task leaves a
// producer blocked forever.
//
// The producer feeding the group's tasks runs outside the group and sends on
// an unbuffered channel without watching the group's context. When a task
// fails, the group cancels and Wait returns the error, but the producer stays
// blocked on its next send: a leak.
package sum

import (
	"context"
	"strconv"
	"sync/atomic"

	"golang.org/x/sync/errgroup"
)

// Sum parses and adds the inputs on two workers; the first bad input fails it.
func Sum(ctx context.Context, inputs []string) (int64, error) {
	g, ctx := errgroup.WithContext(ctx)
	ch := make(chan string)
	go func() { // bug: outside the group, and deaf to ctx
		for _, s := range inputs {
			ch <- s
		}
		close(ch)
	}()
	var total atomic.Int64
	for w := 0; w < 2; w++ {
		g.Go(func() error {
			for {
				select {
				case <-ctx.Done():
					return ctx.Err()
				case s, ok := <-ch:
					if !ok {
						return nil
					}
					n, err := strconv.Atoi(s)
					if err != nil {
						return err
					}
					total.Add(int64(n))
				}
			}
		})
	}
	err := g.Wait()
	return total.Load(), err
}
