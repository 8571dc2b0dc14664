package conn

import (
	"sync"
	"testing"
)

// TestCloseFromReaderAndUser closes the connection from the read loop's error
// path and from the user at the same time.
func TestCloseFromReaderAndUser(t *testing.T) {
	c := New()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		c.Close()
	}()
	c.Close()
	wg.Wait()
	<-c.Done()
}
