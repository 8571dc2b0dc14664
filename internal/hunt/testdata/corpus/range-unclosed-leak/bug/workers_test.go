package workers

import "testing"

func TestProcess(t *testing.T) {
	if got := Process([]int{1, 2, 3, 4}); got != 30 {
		t.Errorf("Process = %d, want 30", got)
	}
}
