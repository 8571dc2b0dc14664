package newbug

import "testing"

func TestWatch(t *testing.T) {
	ch := Watch()
	if <-ch != 0 {
		t.Fatal("the first event is not 0")
	}
}
