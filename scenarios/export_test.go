package scenarios

import (
	"context"
	"os"
)

// Hooks for the external tests of the process pool.

// StartSubprocessPoolWithFault starts a pool whose workers inject fault (see
// workerFaultEnv), e.g. "exit", "hang:1", "garbage".
func StartSubprocessPoolWithFault(ctx context.Context, procs int, fault string) (*SubprocessPool, error) {
	return startSubprocessPool(ctx, procs, []string{workerFaultEnv + "=" + fault})
}

// ProcessStates returns the final state of every worker process of p, nil
// for one not reaped yet.
func (p *SubprocessPool) ProcessStates() []*os.ProcessState { return p.processStates() }

// SquareNumbersInPool is squareNumbersInPool.
var SquareNumbersInPool = squareNumbersInPool
