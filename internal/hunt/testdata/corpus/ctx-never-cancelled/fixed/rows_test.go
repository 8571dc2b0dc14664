package rows

import (
	"context"
	"testing"
)

func TestQueryAndClose(t *testing.T) {
	rs := Query(context.Background(), []int{1, 2, 3})
	sum := 0
	for v, ok := rs.Next(); ok; v, ok = rs.Next() {
		sum += v
	}
	rs.Close()
	if sum != 6 {
		t.Errorf("sum = %d, want 6", sum)
	}
}
