package lazy_test

import (
	"testing"

	lazy "github.com/conclab/conclab/internal/hunt/testdata/corpus/double-checked-init/fixed"
)

func TestConnFromTwoGoroutines(t *testing.T) {
	var c lazy.Client
	got := make(chan *lazy.Conn, 2)
	for i := 0; i < 2; i++ {
		go func() { got <- c.Conn() }()
	}
	if a, b := <-got, <-got; a != b {
		t.Error("two callers got different connections")
	}
}
