package gather

import (
	"slices"
	"testing"
)

func TestGather(t *testing.T) {
	got := Gather([]func() int{
		func() int { return 3 },
		func() int { return 1 },
		func() int { return 2 },
	})
	if !slices.Equal(got, []int{1, 2, 3}) {
		t.Errorf("Gather = %v, want [1 2 3]", got)
	}
}
