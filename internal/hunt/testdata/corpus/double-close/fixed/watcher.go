// Package watcher is the fixed twin of a hunt corpus kernel (channel closed
// twice): only Stop closes stop, once, and the loop signals its end on done.
package watcher

import "sync"

// Watcher forwards values from a source until stopped or the source ends.
type Watcher struct {
	stop     chan struct{}
	stopOnce sync.Once
	done     chan struct{}
	seen     int
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
	w.stopOnce.Do(func() { close(w.stop) })
	<-w.done
}
