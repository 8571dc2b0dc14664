package scenarios

import "sync/atomic"

// Gauge counts the goroutines inside a section and remembers the peak. The
// zero value is ready to use; it is safe for concurrent use.
type Gauge struct {
	cur, peak atomic.Int64
}

// Enter counts one more goroutine inside and raises the peak if needed.
func (g *Gauge) Enter() {
	n := g.cur.Add(1)
	for {
		p := g.peak.Load()
		if n <= p || g.peak.CompareAndSwap(p, n) {
			return
		}
	}
}

// Leave counts one goroutine fewer inside. Call it before giving up the
// resource, not after: the next holder may enter as soon as the resource is
// released, and a Leave that comes later would show one holder too many.
func (g *Gauge) Leave() { g.cur.Add(-1) }

// Peak returns the largest number of goroutines seen inside at once.
func (g *Gauge) Peak() int { return int(g.peak.Load()) }
