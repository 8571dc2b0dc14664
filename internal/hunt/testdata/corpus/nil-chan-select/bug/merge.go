// Package merge is a hunt corpus kernel: a select whose only ready cases are
// on nil channels.
//
// Merge uses the idiom of setting a drained input to nil to disable its case,
// but the loop has no exit for when both inputs are nil. Once both are
// drained, the closed inputs (the only ready cases) are nil, the select blocks
// forever, and out is never closed: the consumer's range hangs.
package merge

// Merge forwards the values of a and b on the returned channel and closes it
// when both are drained.
func Merge(a, b <-chan int) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for { // bug: must be for a != nil || b != nil
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
