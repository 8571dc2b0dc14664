package main

import (
	"context"
	"io"
	"os"
	"os/signal"

	"github.com/conclab/conclab/scenarios"
)

const workerDoc = `Serve as a process-pool worker: read request frames on stdin, compute the
CPU kernel for each, and write one answer frame for each on stdout, until
stdin is closed. The process-pool scenario starts its workers itself (it
re-executes this binary with CONCLAB_WORKER=1, which does the same as this
command); 'conclab worker' exposes the same protocol for debugging and for
other parents.

The protocol (see scenarios/frame.go): frames of an 8-byte header (magic
0xCC, version 1, type, a zero byte, a big-endian uint32 payload length of at
most 1024) and a payload. A request (type 1) is id uint64, lo int64, hi int64;
the answer is a result (type 2: id uint64, checksum uint64) or an error
(type 3: id uint64, message). A malformed frame ends the worker with status 1.
An interrupt ends it at once: a worker keeps no state.`

// workerStdin is where `conclab worker` reads its requests; tests replace it.
var workerStdin io.Reader = os.Stdin

func runWorker(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("worker", "", workerDoc, stdout)
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageErrorf("unexpected argument %q", rest[0])
	}
	// main catches interrupts so that scenarios can stop cleanly; a worker
	// blocked reading stdin cannot watch ctx, and has nothing to clean up,
	// so it takes back the default: an interrupt ends it.
	signal.Reset(os.Interrupt)
	return scenarios.ServeWorker(workerStdin, stdout)
}
