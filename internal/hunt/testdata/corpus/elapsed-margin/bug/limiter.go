// Package limiter is a hunt corpus kernel for the certainty of a failure:
// a token bucket whose test asserts that four concurrent takes finish
// within a wall-clock margin. The code is right; the test depends on how
// fast goroutines are scheduled, so a perturbed schedule fails it: hunt
// labels the failure timing-dependent.
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
