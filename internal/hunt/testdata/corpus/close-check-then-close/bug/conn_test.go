package conn

import (
	"sync"
	"testing"
)

// TestCloseFromReaderAndUser closes each of a few connections from its read
// loop's error path and from the user at the same time.
func TestCloseFromReaderAndUser(t *testing.T) {
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		c := New()
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.Close()
		}()
		c.Close()
		<-c.Done()
	}
	wg.Wait()
}
