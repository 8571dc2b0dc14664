// Package sum is the fixed twin of a hunt corpus kernel (errgroup task failure
// strands a producer): the producer is a task of the group and gives up when
// the group's context is cancelled.
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
	g.Go(func() error {
		defer close(ch)
		for _, s := range inputs {
			select {
			case ch <- s:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	})
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
