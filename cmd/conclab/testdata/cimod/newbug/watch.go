// Package newbug has the fixture's new bug: Watch starts a goroutine that
// nothing stops.
package newbug

// Watch returns a channel of events; its sender blocks forever once the
// caller stops reading.
func Watch() <-chan int {
	ch := make(chan int)
	go func() {
		for i := 0; ; i++ {
			ch <- i
		}
	}()
	return ch
}
