// Package notifier is a hunt corpus kernel: a deadlock only under one
// interleaving.
//
// Notify checks "closed" under the lock, releases it, then sends on the
// unbuffered channel. If Close runs between the check and the send, the loop
// has returned and nobody will ever receive: Notify blocks forever, and so does
// the test that waits for it: a sender stranded by a receiver that quit, as in
// grpc#660 and moby#4395, but only on one interleaving. Plain runs almost never
// put Close in that window.
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
	n.mu.Lock()
	closed := n.closed
	n.mu.Unlock()
	if !closed {
		n.statsMu.Lock()
		n.sent++
		n.statsMu.Unlock()
		n.ch <- v // bug: the loop may have quit since the check
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
