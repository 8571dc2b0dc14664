// Package budget has one test that runs on its own goroutine and one whose
// goroutines interleave: hunt's default schedule runs the first once and
// the second for as long as the budget lasts (schedule_test.go).
package budget

import (
	"strings"
	"sync"
)

// Words splits s into words, lower-cased.
func Words(s string) []string {
	return strings.Fields(strings.ToLower(s))
}

// Tally counts words, safe for use by several goroutines.
type Tally struct {
	mu sync.Mutex
	n  map[string]int
}

// Add counts w once.
func (t *Tally) Add(w string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.n == nil {
		t.n = map[string]int{}
	}
	t.n[w]++
}

// Count returns how many times w was added.
func (t *Tally) Count(w string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.n[w]
}
