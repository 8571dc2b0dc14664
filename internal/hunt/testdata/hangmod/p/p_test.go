// Package p has a racy test and one that blocks until it is killed.
package p

import (
	"sync"
	"testing"
)

func TestRace(t *testing.T) {
	n := 0
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n++
		}()
	}
	wg.Wait()
}

func TestBlockForever(t *testing.T) {
	select {}
}
