package scenarios

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// Hooks for the external tests of the process pool. They live in a test
// file so that the shipped binary holds no fault switch.

// workerFaultEnv injects a fault into a worker of this package's test
// binary, for the tests of the pool's error paths: only
// [ServeFaultyWorkerIfAsked], which TestMain calls before ServeIfWorker,
// reads it. Its value is KIND or KIND:N, where N (default 0) is the number
// of requests served normally first, and KIND is
//
//	exit      exit with status 3 without answering
//	hang      never answer (until killed)
//	garbage   answer with bytes that are not a frame
//	oversize  answer with a frame header announcing a 1 GiB payload
//	wrong-id  answer with a result for another request
const workerFaultEnv = "CONCLAB_WORKER_FAULT"

// StartSubprocessPoolWithFault starts a pool whose workers inject fault (see
// workerFaultEnv), e.g. "exit", "hang:1", "garbage".
func StartSubprocessPoolWithFault(ctx context.Context, procs int, fault string) (*SubprocessPool, error) {
	return startSubprocessPool(ctx, procs, []string{workerFaultEnv + "=" + fault})
}

// ServeFaultyWorkerIfAsked turns the test binary into a faulty worker when
// it was started as a worker with workerFaultEnv set, and returns at once
// otherwise. A fault it does not know makes it exit with status 1.
func ServeFaultyWorkerIfAsked() {
	if os.Getenv(WorkerEnv) != "1" || os.Getenv(workerFaultEnv) == "" {
		return
	}
	f, err := parseWorkerFault(os.Getenv(workerFaultEnv))
	if err == nil {
		err = ServeWorker(os.Stdin, &faultWriter{w: os.Stdout, fault: f})
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "conclab worker (pid %d): %v\n", os.Getpid(), err)
		os.Exit(1)
	}
	os.Exit(0)
}

// ProcessStates returns the final state of every worker process of p, nil
// for one not reaped yet. After Close, none is nil.
func (p *SubprocessPool) ProcessStates() []*os.ProcessState {
	states := make([]*os.ProcessState, len(p.workers))
	for i, w := range p.workers {
		states[i] = w.cmd.ProcessState
	}
	return states
}

// SquareNumbersInPool is squareNumbersInPool.
var SquareNumbersInPool = squareNumbersInPool

// workerFault is a fault injected into a worker by workerFaultEnv.
type workerFault struct {
	kind  string // "" for none
	after int    // requests served normally first
}

func parseWorkerFault(s string) (workerFault, error) {
	if s == "" {
		return workerFault{}, nil
	}
	kind, n, hasN := strings.Cut(s, ":")
	f := workerFault{kind: kind}
	switch kind {
	case "exit", "hang", "garbage", "oversize", "wrong-id":
	default:
		return f, fmt.Errorf("%s=%q: unknown fault %q", workerFaultEnv, s, kind)
	}
	if hasN {
		after, err := strconv.Atoi(n)
		if err != nil || after < 0 {
			return f, fmt.Errorf("%s=%q: %q is not a count of requests", workerFaultEnv, s, n)
		}
		f.after = after
	}
	return f, nil
}

// faultWriter passes a worker's responses through to w, one Write a
// response, until the fault's turn comes: then it exits, hangs, or writes
// something else.
type faultWriter struct {
	w      io.Writer
	fault  workerFault
	served int
}

func (fw *faultWriter) Write(p []byte) (int, error) {
	fw.served++
	if fw.fault.kind == "" || fw.served <= fw.fault.after {
		return fw.w.Write(p)
	}
	var out []byte
	switch fw.fault.kind {
	case "exit":
		fmt.Fprintf(os.Stderr, "conclab worker (pid %d): injected fault: exit 3\n", os.Getpid())
		os.Exit(3)
	case "hang":
		for {
			time.Sleep(time.Hour) // the injected fault is a hang; a timer, so that the runtime sees no deadlock
		}
	case "garbage":
		out = []byte("this is not a frame\n")
	case "oversize":
		out = []byte{frameMagic, frameVersion, byte(frameResult), 0, 0x40, 0, 0, 0}
	case "wrong-id":
		f, _, err := decodeFrame(p)
		if err != nil {
			return 0, err
		}
		resp, err := decodeResponse(f)
		if err != nil {
			return 0, err
		}
		resp.ID++
		out = resp.appendTo(nil)
	default:
		return 0, errors.New("unknown fault " + fw.fault.kind)
	}
	if _, err := fw.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}
