package budget

import (
	"slices"
	"sync"
	"testing"
)

func TestWords(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"Go go  GO", []string{"go", "go", "go"}},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := Words(tc.in); !slices.Equal(got, tc.want) {
				t.Errorf("Words(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestTallyConcurrently(t *testing.T) {
	var tally Tally
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, w := range Words("a b a") {
				tally.Add(w)
			}
		}()
	}
	wg.Wait()
	if got := tally.Count("a"); got != 8 {
		t.Errorf("Count(a) = %d, want 8", got)
	}
}
