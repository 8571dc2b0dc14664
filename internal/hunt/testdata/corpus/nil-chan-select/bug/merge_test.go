package merge

import "testing"

func feed(vs ...int) <-chan int {
	ch := make(chan int, len(vs))
	for _, v := range vs {
		ch <- v
	}
	close(ch)
	return ch
}

func TestMerge(t *testing.T) {
	sum := 0
	for v := range Merge(feed(1, 2), feed(3)) {
		sum += v
	}
	if sum != 6 {
		t.Errorf("sum = %d, want 6", sum)
	}
}
