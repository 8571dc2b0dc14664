//go:build conclabhunt

package rt

import (
	"runtime"
	"sync"
)

// The lock bookkeeping is shared by every goroutine but must stay invisible
// to the race detector: book.mu is only taken between raceDisable and
// raceEnable (no happens-before edge), and every function that touches book
// is go:norace and avoids maps, whose runtime code reports its own accesses.

const (
	depth    = 10
	maxEdges = 1 << 16
	maxPath  = 4
)

type held struct {
	id    uint32
	write bool
	pcs   [depth]uintptr
}

type gstate struct {
	g         int64
	held      []held
	wait      uint32
	waitWrite bool
}

// An edge records that goroutine g took lock to while holding from.
type edge struct {
	from, to       uint32
	anyWrite       bool     // one of the two was taken for writing
	gate           []uint32 // other locks held every time: a common guard
	fromPCs, toPCs [depth]uintptr
	g              int64
	next           int32 // next edge out of from, plus one
	reported       bool
}

var book struct {
	mu      sync.Mutex
	gs      []*gstate
	owner   []int64 // writer holding each lock
	writers []int32 // writers waiting for each lock
	out     []int32 // first edge out of each lock, plus one
	edges   []edge
	index   []int32 // open addressing over edges, plus one
}

func callers(pcs []uintptr) { runtime.Callers(3, pcs) }

//go:norace
func grow(id uint32) {
	for uint32(len(book.owner)) <= id {
		book.owner = append(book.owner, 0)
		book.writers = append(book.writers, 0)
		book.out = append(book.out, 0)
	}
}

//go:norace
func gstateOf(g int64, create bool) *gstate {
	for _, s := range book.gs {
		if s.g == g {
			return s
		}
	}
	if !create {
		return nil
	}
	s := &gstate{g: g}
	book.gs = append(book.gs, s)
	return s
}

//go:norace
func dropIfIdle(s *gstate) {
	if s == nil || len(s.held) > 0 || s.wait != 0 {
		return
	}
	for i, x := range book.gs {
		if x == s {
			last := len(book.gs) - 1
			book.gs[i] = book.gs[last]
			book.gs[last] = nil
			book.gs = book.gs[:last]
			return
		}
	}
}

// bookLock records that t.g is about to wait for t.id (or, with t.acquired,
// has just taken it without waiting), sets t.self when it already holds it,
// and returns a lock-order cycle the new acquisition closes.
//
//go:norace
func bookLock(t *lockToken) ([]edge, bool) {
	book.mu.Lock()
	defer book.mu.Unlock()
	grow(t.id)
	s := gstateOf(t.g, true)
	for _, h := range s.held {
		if h.id != t.id {
			continue
		}
		t.self = true
		t.heldAt = h.pcs
		switch {
		case t.write && h.write:
			t.what, t.fatal = "Lock of a lock the goroutine already holds", true
		case t.write:
			t.what, t.fatal = "Lock of an RWMutex the goroutine holds for reading", true
		case h.write:
			t.what, t.fatal = "RLock of an RWMutex the goroutine holds for writing", true
		case book.writers[t.id] > 0:
			t.what, t.fatal = "recursive RLock while a writer waits", true
		default:
			t.what = "recursive RLock"
		}
		if t.acquired {
			t.fatal = false // it got the lock: whoever held it let go
		}
		if t.fatal {
			s.wait, s.waitWrite = t.id, t.write
			if t.write {
				book.writers[t.id]++
			}
			return nil, false
		}
	}
	var cycle []edge
	found := false
	for i := range s.held {
		if s.held[i].id == t.id {
			continue
		}
		if c, ok := addEdge(s, &s.held[i], t); ok && !found {
			cycle, found = c, true
		}
	}
	if t.acquired {
		acquire(s, t)
		return cycle, found
	}
	s.wait, s.waitWrite = t.id, t.write
	if t.write {
		book.writers[t.id]++
	}
	return cycle, found
}

//go:norace
func findEdge(from, to uint32) int {
	if len(book.index) == 0 {
		return -1
	}
	mask := uint64(len(book.index) - 1)
	for i := mix(uint64(from)<<32|uint64(to)) & mask; ; i = (i + 1) & mask {
		e := book.index[i]
		if e == 0 {
			return -1
		}
		if book.edges[e-1].from == from && book.edges[e-1].to == to {
			return int(e - 1)
		}
	}
}

//go:norace
func insertEdge(e edge) {
	if 2*(len(book.edges)+1) > len(book.index) {
		n := 64
		for n < 4*(len(book.edges)+1) {
			n *= 2
		}
		book.index = make([]int32, n)
		for i := range book.edges {
			place(i)
		}
	}
	e.next = book.out[e.from]
	book.edges = append(book.edges, e)
	book.out[e.from] = int32(len(book.edges))
	place(len(book.edges) - 1)
}

//go:norace
func place(i int) {
	mask := uint64(len(book.index) - 1)
	e := &book.edges[i]
	for j := mix(uint64(e.from)<<32|uint64(e.to)) & mask; ; j = (j + 1) & mask {
		if book.index[j] == 0 {
			book.index[j] = int32(i + 1)
			return
		}
	}
}

// addEdge records h before t and returns a cycle when the edge is new or
// weaker than before and a path leads back from t to h.
//
//go:norace
func addEdge(s *gstate, h *held, t *lockToken) ([]edge, bool) {
	var gate []uint32
	for _, o := range s.held {
		if o.id != h.id && o.id != t.id {
			gate = append(gate, o.id)
		}
	}
	i := findEdge(h.id, t.id)
	if i < 0 {
		if len(book.edges) >= maxEdges {
			return nil, false
		}
		insertEdge(edge{from: h.id, to: t.id, anyWrite: h.write || t.write, gate: gate, fromPCs: h.pcs, toPCs: t.pcs, g: t.g})
		i = len(book.edges) - 1
	} else {
		e := &book.edges[i]
		changed := false
		if !e.anyWrite && (h.write || t.write) {
			e.anyWrite, changed = true, true
		}
		kept := e.gate[:0]
		for _, x := range e.gate {
			if containsID(gate, x) {
				kept = append(kept, x)
			}
		}
		if len(kept) != len(e.gate) {
			changed = true
		}
		e.gate = kept
		if !changed {
			return nil, false
		}
	}
	path := make([]int, 0, maxPath)
	if !pathTo(t.id, h.id, &path) {
		return nil, false
	}
	cycle := []int{i}
	cycle = append(cycle, path...)
	guard := append([]uint32(nil), book.edges[i].gate...)
	anyWrite, fresh := false, false
	for _, k := range cycle {
		e := &book.edges[k]
		anyWrite = anyWrite || e.anyWrite
		fresh = fresh || !e.reported
		kept := guard[:0]
		for _, x := range guard {
			if containsID(e.gate, x) {
				kept = append(kept, x)
			}
		}
		guard = kept
	}
	if !anyWrite || !fresh || len(guard) > 0 {
		return nil, false
	}
	out := make([]edge, 0, len(cycle))
	for _, k := range cycle {
		book.edges[k].reported = true
		e := book.edges[k]
		e.gate = nil
		out = append(out, e)
	}
	return out, true
}

//go:norace
func pathTo(from, to uint32, path *[]int) bool {
	if len(*path) >= maxPath {
		return false
	}
	for e := book.out[from]; e != 0; e = book.edges[e-1].next {
		k := int(e - 1)
		for _, p := range *path {
			if p == k {
				return false
			}
		}
		*path = append(*path, k)
		if book.edges[k].to == to || pathTo(book.edges[k].to, to, path) {
			return true
		}
		*path = (*path)[:len(*path)-1]
	}
	return false
}

//go:norace
func containsID(ids []uint32, id uint32) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

//go:norace
func bookAcquired(t *lockToken) {
	book.mu.Lock()
	defer book.mu.Unlock()
	grow(t.id)
	acquire(gstateOf(t.g, true), t)
}

//go:norace
func acquire(s *gstate, t *lockToken) {
	if s.wait == t.id {
		if s.waitWrite {
			book.writers[t.id]--
		}
		s.wait = 0
	}
	s.held = append(s.held, held{id: t.id, write: t.write, pcs: t.pcs})
	if t.write {
		book.owner[t.id] = t.g
	}
}

//go:norace
func bookUnlock(id uint32, g int64, write bool) {
	book.mu.Lock()
	defer book.mu.Unlock()
	grow(id)
	if write {
		g = book.owner[id]
	}
	if !release(gstateOf(g, false), id, write) {
		for _, s := range book.gs {
			if release(s, id, write) {
				break
			}
		}
	}
	if write {
		book.owner[id] = 0
	}
}

//go:norace
func release(s *gstate, id uint32, write bool) bool {
	if s == nil {
		return false
	}
	for i := len(s.held) - 1; i >= 0; i-- {
		if s.held[i].id == id && s.held[i].write == write {
			copy(s.held[i:], s.held[i+1:])
			s.held = s.held[:len(s.held)-1]
			dropIfIdle(s)
			return true
		}
	}
	return false
}

// A waitFor says that goroutine g waits for a lock that holder holds.
type waitFor struct {
	g, holder int64
	lock      uint32
	pcs       [depth]uintptr // where holder took it
}

// waitGraph returns who waits for whom among the instrumented locks.
//
//go:norace
func waitGraph() []waitFor {
	book.mu.Lock()
	defer book.mu.Unlock()
	var ws []waitFor
	for _, s := range book.gs {
		if s.wait == 0 {
			continue
		}
		for _, o := range book.gs {
			if o == s {
				continue
			}
			for _, h := range o.held {
				if h.id == s.wait && (h.write || s.waitWrite) {
					ws = append(ws, waitFor{g: s.g, holder: o.g, lock: s.wait, pcs: h.pcs})
				}
			}
		}
	}
	return ws
}
