package hunt

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// confirmingHunter is fakeHunter with the confirming replays on.
func confirmingHunter(cfg Config, child func(context.Context, *batch) batchResult, names ...string) *hunter {
	h := fakeHunter(cfg, child, names...)
	h.cfg.NoConfirm = false
	return h
}

// TestConfirmReplay: before a finding is reported its seed is replayed
// ConfirmRuns times; a seed that shows it too seldom is replaced by one
// that shows it more often, found by fresh runs; a dear run is not
// replayed; none of these runs counts against -runs.
func TestConfirmReplay(t *testing.T) {
	const search = 1 << 19 // the confirming search's first seed, from a base of 0
	failure := batchResult{ev: &event{kind: KindFailure, message: "boom"}}
	for _, tc := range []struct {
		name string
		// shows reports whether the call-th run (from 1) of seed fails.
		shows       func(seed uint64, call int) bool
		cost        time.Duration
		seed, shown int
		own, of     int
		note        string
	}{
		{"its own seed pins it", func(uint64, int) bool { return true }, 0, 0, 5, 5, 5, "showed it in 5 of 5 replays here"},
		{"another seed pins it", func(seed uint64, call int) bool {
			return seed == 0 && (call == 1 || call == 4) || seed == search+2
		}, 0, search + 2, 5, 1, 5, "seed 524290 showed it in 5 of 5 replays here; the finding's own seed 0 in 1"},
		{"no seed pins it", func(seed uint64, call int) bool { return call == 1 && seed == 0 || call == 2 && seed != 0 }, 0, 0, 0, 0, 5, "showed it in only 0 of 5 replays here"},
		{"too dear to replay", func(uint64, int) bool { return true }, 2 * time.Second, 0, 0, 0, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var mu sync.Mutex
				calls := map[uint64]int{}
				child := func(_ context.Context, b *batch) batchResult {
					// Inside synctest's bubble: the fake clock advances at once,
					// and the run costs tc.cost in hunt's accounts.
					time.Sleep(tc.cost)
					mu.Lock()
					defer mu.Unlock()
					calls[b.seed]++
					if tc.shows(b.seed, calls[b.seed]) {
						return failure
					}
					return batchResult{completed: b.count}
				}
				var reported []Finding
				h := confirmingHunter(Config{Runs: 1, Found: func(f Finding) { reported = append(reported, f) }}, child, "TestX")
				sum := h.hunt(t.Context())
				require.Len(t, sum.Tests, 1)
				f := sum.Tests[0].Finding
				require.NotNil(t, f)
				assert.Equal(t, uint64(0), f.Seed, "the run that found it")
				assert.Equal(t, 1, sum.Runs, "the replays are not runs of the hunt")
				assert.Equal(t, tc.of, f.ReplayOf)
				assert.Equal(t, tc.shown, f.ReplayShown)
				assert.Equal(t, tc.own, f.OwnShown)
				if tc.of > 0 {
					assert.Equal(t, uint64(tc.seed), f.ReplaySeed)
					assert.Contains(t, f.Replay, " -seed "+strconv.Itoa(tc.seed)+" ")
				} else {
					assert.Equal(t, 1, calls[0], "not replayed")
				}
				assert.Contains(t, f.ReplayNote(), tc.note)
				require.Len(t, reported, 1)
				assert.Equal(t, f.Replay, reported[0].Replay, "reported once its replay is confirmed")
			})
		})
	}
}
