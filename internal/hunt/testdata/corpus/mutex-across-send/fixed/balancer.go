// Package balancer is the fixed twin of a hunt corpus kernel (mutex held across
// a channel send, grpc#1353): the update is recorded under rr.mu and sent after
// the unlock.
package balancer

import "sync"

// RoundRobin publishes address updates to the client connection.
type RoundRobin struct {
	mu     sync.Mutex
	addrs  []string
	addrCh chan []string
	downs  int
}

// New returns a balancer with no addresses.
func New() *RoundRobin { return &RoundRobin{addrCh: make(chan []string)} }

// Notify returns the channel of address updates.
func (rr *RoundRobin) Notify() <-chan []string { return rr.addrCh }

// WatchAddrUpdates publishes each update, then closes the channel.
func (rr *RoundRobin) WatchAddrUpdates(updates [][]string) {
	for _, u := range updates {
		rr.mu.Lock()
		rr.addrs = u
		rr.mu.Unlock()
		rr.addrCh <- u
	}
	close(rr.addrCh)
}

// Down marks a connection to addr as gone.
func (rr *RoundRobin) Down(addr string) {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	rr.downs++
}

// LBWatcher tears down a connection for every address update until the
// channel closes, and returns how many updates it saw.
func LBWatcher(rr *RoundRobin) int {
	n := 0
	for addrs := range rr.Notify() {
		for _, a := range addrs {
			rr.Down(a)
		}
		n++
	}
	return n
}
