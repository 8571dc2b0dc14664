// Package merge is the fixed twin of a hunt corpus kernel (select on nil
// channels only): the loop ends once both inputs are drained.
package merge

// Merge forwards the values of a and b on the returned channel and closes it
// when both are drained.
func Merge(a, b <-chan int) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for a != nil || b != nil {
			select {
			case v, ok := <-a:
				if !ok {
					a = nil
					continue
				}
				out <- v
			case v, ok := <-b:
				if !ok {
					b = nil
					continue
				}
				out <- v
			}
		}
	}()
	return out
}
