// Package watcher is a hunt corpus kernel: a channel closed twice.
//
// The watch loop closes its stop channel when its source ends, and Stop closes
// the same channel again: "close of closed channel". Two shutdown paths each
// believe they own the close.
package watcher

// Watcher forwards values from a source until stopped or the source ends.
type Watcher struct {
	stop chan struct{}
	done chan struct{}
	seen int
}

// Watch starts forwarding src.
func Watch(src <-chan int) *Watcher {
	w := &Watcher{stop: make(chan struct{}), done: make(chan struct{})}
	go w.run(src)
	return w
}

func (w *Watcher) run(src <-chan int) {
	defer close(w.done)
	for {
		select {
		case _, ok := <-src:
			if !ok {
				close(w.stop) // bug: Stop closes stop too
				return
			}
			w.seen++
		case <-w.stop:
			return
		}
	}
}

// Done is closed when the watch loop has returned.
func (w *Watcher) Done() <-chan struct{} { return w.done }

// Stop ends the watch and waits for the loop to return.
func (w *Watcher) Stop() {
	close(w.stop)
	<-w.done
}
