package kernels

import (
	"flag"
	"os"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

var mainRan bool

func TestMain(m *testing.M) {
	flag.Parse()
	mainRan = true
	os.Exit(m.Run())
}

func TestMainRan(t *testing.T) {
	if !mainRan {
		t.Fatal("TestMain did not run")
	}
}

func TestABBA(t *testing.T) {
	a, b := &Account{balance: 10}, &Account{balance: 10}
	Transfer(a, b, 1)
	Transfer(b, a, 1)
}

func TestOrdered(t *testing.T) {
	a, b := &Account{balance: 10}, &Account{balance: 10}
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			Transfer(a, b, 1)
		}()
	}
	wg.Wait()
}

// TestGuarded takes a then b and b then a, always under gate: no cycle can
// deadlock.
func TestGuarded(t *testing.T) {
	var gate sync.Mutex
	a, b := &Account{}, &Account{}
	gate.Lock()
	Transfer(a, b, 1)
	gate.Unlock()
	gate.Lock()
	Transfer(b, a, 1)
	gate.Unlock()
}

func TestDoubleLock(t *testing.T) {
	var c Counter
	c.IncTwice()
}

func TestHandoff(t *testing.T) {
	var mu sync.Mutex
	mu.Lock()
	go func() {
		mu.Unlock()
	}()
	mu.Lock()
	mu.Unlock()
}

func TestRecursiveRLock(t *testing.T) {
	c := &Cache{m: map[string]int{"a": 1}}
	if c.GetTwice("a") != 2 {
		t.Fatal("wrong sum")
	}
}

func TestRLockers(t *testing.T) {
	c := &Cache{m: map[string]int{"a": 1}}
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.Get("a")
			c.mu.Lock()
			c.m["a"]++
			c.mu.Unlock()
		}()
	}
	wg.Wait()
	l := c.mu.RLocker()
	l.Lock()
	l.Unlock()
}

func TestCond(t *testing.T) {
	q := NewQueue()
	done := make(chan int)
	go func() {
		sum := 0
		for i := 0; i < 100; i++ {
			sum += q.Take()
		}
		done <- sum
	}()
	for i := 0; i < 100; i++ {
		q.Put(i)
	}
	if sum := <-done; sum != 4950 {
		t.Fatalf("sum %d", sum)
	}
}

func TestLeak(t *testing.T) {
	ch := make(chan int)
	go func() {
		ch <- 1 // LINE:leak-send
	}()
}

func TestNoLeak(t *testing.T) {
	ch := make(chan int, 1)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		ch <- 1
	}()
	wg.Wait()
	<-ch
}

func TestParallelLeak(t *testing.T) {
	t.Parallel()
	block := make(chan struct{})
	t.Run("sub", func(t *testing.T) {
		t.Parallel()
		go func() { <-block }()
	})
}

// TestLateExit leaves a goroutine that ends shortly after the test: not a
// leak.
func TestLateExit(t *testing.T) {
	stop := make(chan struct{})
	go func() {
		<-stop
		time.Sleep(20 * time.Millisecond) // the shape under test: a goroutine that outlives its test by less than the leak grace period
	}()
	close(stop)
}

func TestDeadlock(t *testing.T) {
	var a, b sync.Mutex
	var held sync.WaitGroup
	held.Add(2)
	var done sync.WaitGroup
	done.Add(2)
	go func() {
		defer done.Done()
		a.Lock()
		held.Done()
		held.Wait()
		b.Lock() // LINE:deadlock-b
		b.Unlock()
		a.Unlock()
	}()
	go func() {
		defer done.Done()
		b.Lock()
		held.Done()
		held.Wait()
		a.Lock()
		a.Unlock()
		b.Unlock()
	}()
	done.Wait()
}

func TestChanDeadlock(t *testing.T) {
	results := make(chan int)
	quit := make(chan struct{})
	go func() {
		select {
		case results <- 1:
		case <-quit:
		}
	}()
	<-quit // LINE:chan-deadlock
}

// TestSlow only sleeps and computes: no deadlock.
func TestSlow(t *testing.T) {
	done := make(chan int)
	go func() {
		n := 0
		for end := time.Now().Add(600 * time.Millisecond); time.Now().Before(end); {
			n++
		}
		done <- n
	}()
	<-done
	time.Sleep(600 * time.Millisecond) // the shape under test: a sleeping test makes no progress yet is no deadlock
}

var shared int

func TestRace(t *testing.T) {
	var mu1, mu2 sync.Mutex
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		mu1.Lock()
		shared++ // LINE:race
		mu1.Unlock()
	}()
	go func() {
		defer wg.Done()
		mu2.Lock()
		shared++
		mu2.Unlock()
	}()
	wg.Wait()
}

// TestBubble hands items over through a Cond inside a synctest bubble, where
// time is virtual: perturbation must not sleep there.
func TestBubble(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q := NewQueue()
		var wg sync.WaitGroup
		for i := 0; i < 4; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				q.Take()
			}()
		}
		for i := 0; i < 4; i++ {
			q.Put(i)
		}
		wg.Wait()
		time.Sleep(time.Second) // virtual time in the synctest bubble
	})
}

// TestOthersParallel runs while TestParallelLeak's goroutines may still be
// alive when both run in one process: they are not its leaks.
func TestOthersParallel(t *testing.T) {
	t.Parallel()
	var c Counter
	c.Inc()
}

// TestTimerWait waits on a timer longer than the stall deadline while the
// other goroutine is blocked for good: slow, not deadlocked.
func TestTimerWait(t *testing.T) {
	never := make(chan int)
	go func() {
		select {
		case <-never:
		case <-time.After(800 * time.Millisecond):
		}
	}()
	select {
	case <-never:
	case <-time.After(800 * time.Millisecond):
	}
}

// TestTickerRange counts ticks for longer than the stall deadline.
func TestTickerRange(t *testing.T) {
	ticker := time.NewTicker(time.Millisecond)
	defer ticker.Stop()
	done := make(chan struct{})
	go func() {
		n := 0
		for range ticker.C {
			if n++; n == 600 {
				close(done)
				return
			}
		}
	}()
	<-done
}

// TestLeakViaHelper leaks a goroutine that a helper starts.
func TestLeakViaHelper(t *testing.T) {
	startBlocked()
}

func startBlocked() {
	ch := make(chan int)
	go func() {
		ch <- 1 // LINE:helper-send
	}()
}

// TestReadReadOrder read-locks two RWMutexes in both orders: readers alone
// cannot deadlock each other.
func TestReadReadOrder(t *testing.T) {
	var a, b sync.RWMutex
	a.RLock()
	b.RLock()
	b.RUnlock()
	a.RUnlock()
	b.RLock()
	a.RLock()
	a.RUnlock()
	b.RUnlock()
}

// TestReadWriteOrder read-locks a then write-locks b, and the other way
// round: a writer waiting for a reader that waits for it.
func TestReadWriteOrder(t *testing.T) {
	var a, b sync.RWMutex
	a.RLock()
	b.Lock()
	b.Unlock()
	a.RUnlock()
	b.RLock()
	a.Lock()
	a.Unlock()
	b.RUnlock()
}
