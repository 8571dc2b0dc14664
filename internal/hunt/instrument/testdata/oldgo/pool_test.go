package oldgo

import "testing"

func TestRun(t *testing.T) {
	var p Pool
	p.Run(4, func() {})
	if p.runs != 4 {
		t.Fatalf("runs %d", p.runs)
	}
}

func TestLeak(t *testing.T) {
	results := make(chan int)
	for i := 0; i < 2; i++ {
		go func(i int) { results <- i }(i)
	}
	<-results
}
