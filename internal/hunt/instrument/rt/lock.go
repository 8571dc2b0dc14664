//go:build conclabhunt

package rt

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Mutex replaces sync.Mutex in hunted packages: the same lock, which also
// records the order in which each goroutine takes locks.
type Mutex struct {
	mu sync.Mutex
	id uint32
}

// Lock locks m.
func (m *Mutex) Lock() {
	if !tracking {
		m.mu.Lock()
		return
	}
	if m.mu.TryLock() {
		lockStart(&m.id, true, true)
		return
	}
	t := lockStart(&m.id, true, false)
	if t.self {
		waitSelf(t, m.mu.TryLock)
		return
	}
	m.mu.Lock()
	lockDone(t)
}

// TryLock tries to lock m.
func (m *Mutex) TryLock() bool {
	if !m.mu.TryLock() {
		return false
	}
	if tracking {
		tryDone(&m.id, true)
	}
	return true
}

// Unlock unlocks m.
func (m *Mutex) Unlock() {
	if tracking {
		unlockNote(&m.id, true)
	}
	m.mu.Unlock()
}

// RWMutex replaces sync.RWMutex in hunted packages.
type RWMutex struct {
	rw sync.RWMutex
	id uint32
}

// Lock locks rw for writing.
func (rw *RWMutex) Lock() {
	if !tracking {
		rw.rw.Lock()
		return
	}
	if rw.rw.TryLock() {
		lockStart(&rw.id, true, true)
		return
	}
	t := lockStart(&rw.id, true, false)
	if t.self {
		waitSelf(t, rw.rw.TryLock)
		return
	}
	rw.rw.Lock()
	lockDone(t)
}

// TryLock tries to lock rw for writing.
func (rw *RWMutex) TryLock() bool {
	if !rw.rw.TryLock() {
		return false
	}
	if tracking {
		tryDone(&rw.id, true)
	}
	return true
}

// Unlock unlocks rw for writing.
func (rw *RWMutex) Unlock() {
	if tracking {
		unlockNote(&rw.id, true)
	}
	rw.rw.Unlock()
}

// RLock locks rw for reading.
func (rw *RWMutex) RLock() {
	if !tracking {
		rw.rw.RLock()
		return
	}
	if rw.rw.TryRLock() {
		lockStart(&rw.id, false, true)
		return
	}
	t := lockStart(&rw.id, false, false)
	if t.self {
		waitSelf(t, rw.rw.TryRLock)
		return
	}
	rw.rw.RLock()
	lockDone(t)
}

// TryRLock tries to lock rw for reading.
func (rw *RWMutex) TryRLock() bool {
	if !rw.rw.TryRLock() {
		return false
	}
	if tracking {
		tryDone(&rw.id, false)
	}
	return true
}

// RUnlock undoes one RLock.
func (rw *RWMutex) RUnlock() {
	if tracking {
		unlockNote(&rw.id, false)
	}
	rw.rw.RUnlock()
}

// RLocker returns a Locker whose Lock and Unlock call rw.RLock and
// rw.RUnlock, tracked like them.
func (rw *RWMutex) RLocker() sync.Locker { return (*rlocker)(rw) }

type rlocker RWMutex

func (r *rlocker) Lock()   { (*RWMutex)(r).RLock() }
func (r *rlocker) Unlock() { (*RWMutex)(r).RUnlock() }

// A lockToken carries one acquisition from lockStart to lockDone.
type lockToken struct {
	id       uint32
	g        int64
	write    bool
	self     bool // g already holds the lock
	fatal    bool // and waiting for it can only deadlock
	acquired bool // taken without waiting
	what     string
	pcs      [depth]uintptr
	heldAt   [depth]uintptr
}

var nextID uint32

func lockID(p *uint32) uint32 {
	if id := atomic.LoadUint32(p); id != 0 {
		return id
	}
	n := atomic.AddUint32(&nextID, 1)
	if atomic.CompareAndSwapUint32(p, 0, n) {
		return n
	}
	return atomic.LoadUint32(p)
}

// lockStart records an acquisition about to wait, or, with acquired, one
// that took the lock at once: the common case costs one bookkeeping step.
func lockStart(p *uint32, write, acquired bool) lockToken {
	raceDisable()
	t := lockToken{id: lockID(p), g: goid(), write: write, acquired: acquired}
	callers(t.pcs[:])
	cycle, found := bookLock(&t)
	raceEnable()
	if found {
		reportCycle(cycle)
	}
	if t.self && !t.fatal {
		report(KindLockOrder, fmt.Sprintf("%s by goroutine %d at %s (held since %s): the sync docs prohibit recursive read locking", t.what, t.g, site(t.pcs[:]), site(t.heldAt[:])), []string{stackOf("acquired again", t.pcs[:]), stackOf("first acquired", t.heldAt[:])})
		t.self = false
	}
	return t
}

func lockDone(t lockToken) {
	raceDisable()
	bookAcquired(&t)
	raceEnable()
}

func tryDone(p *uint32, write bool) {
	raceDisable()
	t := lockToken{id: lockID(p), g: goid(), write: write}
	callers(t.pcs[:])
	bookAcquired(&t)
	raceEnable()
}

// unlockNote records an unlock. A write lock has one owner, known from its
// Lock, so only RUnlock pays for reading the goroutine's id.
func unlockNote(p *uint32, write bool) {
	raceDisable()
	var g int64
	if !write {
		g = goid()
	}
	bookUnlock(lockID(p), g, write)
	raceEnable()
}

// waitSelf handles a goroutine taking a lock it holds. Another goroutine may
// still release it (a Mutex belongs to no goroutine), so it polls for a
// quarter of the leak grace period; if the lock stays taken the goroutine can
// never go on, and the finding ends the program with status 3.
//
// The decision counts in deciding, which a test's end waits for: the
// goroutine may be one the test never waited for, still at work after the
// test function returned, and the binary must not exit before the finding.
func waitSelf(t lockToken, try func() bool) {
	raceDisable()
	atomic.AddInt32(&checking, 1)
	atomic.AddInt32(&deciding, 1)
	raceEnable()
	defer func() {
		raceDisable()
		atomic.AddInt32(&checking, -1)
		atomic.AddInt32(&deciding, -1)
		raceEnable()
	}()
	deadline := time.Now().Add(grace / 4)
	delay := 100 * time.Microsecond
	for {
		if try() {
			lockDone(t)
			return
		}
		if !time.Now().Before(deadline) {
			break
		}
		time.Sleep(delay)
		if delay < 20*time.Millisecond {
			delay *= 2
		}
	}
	fatal(KindLockOrder, fmt.Sprintf("%s by goroutine %d at %s (held since %s): it can never be granted", t.what, t.g, site(t.pcs[:]), site(t.heldAt[:])), []string{stackOf("acquired again", t.pcs[:]), stackOf("first acquired", t.heldAt[:])})
}
