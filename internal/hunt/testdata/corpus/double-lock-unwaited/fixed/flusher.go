// Package flusher is the fixed twin of a hunt corpus kernel: a double Lock in a goroutine
// nobody waits for.
//
// Start launches the flush loop and returns; the loop leaves an iteration on
// `continue` without Unlock when the buffer is empty and takes the mutex
// again, blocking on itself. The test returns before the loop gets there, so
// only a finding decided after the test function returned shows the bug.
package flusher

import "sync"

// Flusher flushes a buffer in the background.
type Flusher struct {
	mu      sync.Mutex
	buf     []string
	flushed int
}

// Start starts the flush loop for rounds rounds.
func (f *Flusher) Start(rounds int) {
	go f.loop(rounds)
}

func (f *Flusher) loop(rounds int) {
	for i := 0; i < rounds; i++ {
		f.mu.Lock()
		if len(f.buf) == 0 {
			f.mu.Unlock()
			continue
		}
		f.flushed += len(f.buf)
		f.buf = f.buf[:0]
		f.mu.Unlock()
	}
}

// Add buffers one entry.
func (f *Flusher) Add(s string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.buf = append(f.buf, s)
}
