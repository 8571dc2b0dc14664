// Package limiter is the fixed twin of the elapsed-margin kernel: the same
// bucket, and a test that checks what the takes did, not how long they took.
package limiter

import "sync"

// A Bucket hands out a fixed number of tokens.
type Bucket struct {
	mu     sync.Mutex
	tokens int
}

// New returns a bucket of n tokens.
func New(n int) *Bucket { return &Bucket{tokens: n} }

// Take takes a token, and reports whether there was one.
func (b *Bucket) Take() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.tokens == 0 {
		return false
	}
	b.tokens--
	return true
}

// Left returns the tokens left.
func (b *Bucket) Left() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.tokens
}
