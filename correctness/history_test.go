package correctness

import (
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/stretchr/testify/assert"
)

// A history records concurrent operations on one object with the logical
// time of their call and return, for porcupine to check against a sequential
// model. The clock is one atomic counter: reading it is a synchronising
// operation, so if an operation returned before another was called, its
// return time is smaller than the other's call time, which is all that
// linearizability asks of timestamps, and no two events share a time.
type history struct {
	clock atomic.Int64
}

// now returns the next logical time.
func (h *history) now() int64 { return h.clock.Add(1) }

// clientLog is one goroutine's operations, appended by that goroutine only
// and handed to the test after the goroutine has been waited for.
type clientLog struct {
	id  int
	ops []porcupine.Operation
}

// record runs op between two readings of the clock and logs it with input
// and the output op returns.
func (h *history) record(log *clientLog, input any, op func() any) any {
	call := h.now()
	out := op()
	ret := h.now()
	log.ops = append(log.ops, porcupine.Operation{ClientId: log.id, Input: input, Call: call, Output: out, Return: ret})
	return out
}

// merge flattens the client logs into one history.
func merge(logs []*clientLog) []porcupine.Operation {
	var all []porcupine.Operation
	for _, l := range logs {
		all = append(all, l.ops...)
	}
	slices.SortFunc(all, func(a, b porcupine.Operation) int { return int(a.Call - b.Call) })
	return all
}

// checkTimeout bounds porcupine's search. The histories here are small and
// check in milliseconds; a search that runs out of time gives
// porcupine.Unknown, which the tests treat as a failure, never as a pass.
const checkTimeout = time.Minute

// assertLinearizable asserts that porcupine finds a linearization of ops.
func assertLinearizable(t *testing.T, model porcupine.Model, ops []porcupine.Operation) bool {
	t.Helper()
	res := porcupine.CheckOperationsTimeout(model, ops, checkTimeout)
	return assert.Equal(t, porcupine.Ok, res, "the history of %d operations has a linearization", len(ops))
}

// Counter operations, the inputs of counterModel.
type counterInput int

const (
	incOp counterInput = iota + 1
	loadOp
)

func (in counterInput) String() string {
	if in == incOp {
		return "Inc"
	}
	return "Load"
}

// counterModel is the sequential specification of a counter: Inc adds one,
// Load returns the number of Incs before it.
var counterModel = porcupine.Model{
	Init: func() any { return int64(0) },
	Step: func(state, input, output any) (bool, any) {
		n := state.(int64)
		switch input.(counterInput) {
		case incOp:
			return true, n + 1
		case loadOp:
			return output.(int64) == n, n
		}
		return false, n
	},
	DescribeOperation: func(input, output any) string {
		if input.(counterInput) == loadOp {
			return fmt.Sprintf("Load() -> %d", output)
		}
		return "Inc()"
	},
	DescribeState: func(state any) string { return fmt.Sprint(state) },
}
