// Package notifier is the fixed twin of a hunt corpus kernel (deadlock under
// one interleaving): Notify's send also selects on quit, so it cannot outlive
// the loop.
package notifier

import "sync"

// Notifier delivers values to a loop until closed.
type Notifier struct {
	mu     sync.Mutex
	closed bool
	ch     chan int
	quit   chan struct{}
	done   chan struct{}
	got    int

	statsMu sync.Mutex
	sent    int
}

// New starts the delivery loop.
func New() *Notifier {
	n := &Notifier{ch: make(chan int), quit: make(chan struct{}), done: make(chan struct{})}
	go n.loop()
	return n
}

func (n *Notifier) loop() {
	defer close(n.done)
	for {
		select {
		case <-n.ch:
			n.got++
		case <-n.quit:
			return
		}
	}
}

// Notify delivers v unless the notifier is closed.
func (n *Notifier) Notify(v int) {
	n.statsMu.Lock()
	n.sent++
	n.statsMu.Unlock()
	select {
	case n.ch <- v:
	case <-n.quit:
	}
}

// Close stops the loop and waits for it.
func (n *Notifier) Close() {
	n.mu.Lock()
	n.closed = true
	n.mu.Unlock()
	close(n.quit)
	<-n.done
}
