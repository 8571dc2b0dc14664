package sum

import (
	"context"
	"strconv"
	"testing"
)

// TestSumBadInput fails on the first input, with many more queued behind it.
func TestSumBadInput(t *testing.T) {
	inputs := []string{"x"}
	for i := 0; i < 50; i++ {
		inputs = append(inputs, strconv.Itoa(i))
	}
	if _, err := Sum(context.Background(), inputs); err == nil {
		t.Error("Sum of a bad input succeeded")
	}
}
