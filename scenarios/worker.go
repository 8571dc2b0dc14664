package scenarios

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// WorkerEnv is the environment variable that makes a process a process-pool
// worker: [SubprocessPool] starts copies of its own binary with WorkerEnv=1, and
// [ServeIfWorker], called first thing in main and in every TestMain, turns
// them into workers before anything else runs.
const WorkerEnv = "CONCLAB_WORKER"

// workerFaultEnv injects a fault into a worker, for the tests of the pool's
// error paths. It is honoured only by ServeIfWorker, in a process started
// with WorkerEnv=1, never by ServeWorker or `conclab worker`. Its value is
// KIND or KIND:N, where N (default 0) is the number of requests served
// normally first, and KIND is
//
//	exit      exit with status 3 without answering
//	hang      never answer (until killed)
//	garbage   answer with bytes that are not a frame
//	oversize  answer with a frame header announcing a 1 GiB payload
//	wrong-id  answer with a result for another request
const workerFaultEnv = "CONCLAB_WORKER_FAULT"

// ServeIfWorker turns the current process into a process-pool worker when
// it was started as one (the environment variable [WorkerEnv] is "1"), and
// returns at once otherwise. A worker serves requests on stdin and stdout
// (see [ServeWorker]) and exits: with status 0 when stdin is closed, 1 on a
// protocol error. Call it first thing in main and in every TestMain of a
// package whose tests run the process-pool scenario: the pool re-executes
// its own binary to get its workers, as the standard library's os/exec
// tests do.
func ServeIfWorker() {
	if os.Getenv(WorkerEnv) != "1" {
		return
	}
	f, err := parseWorkerFault(os.Getenv(workerFaultEnv))
	if err == nil {
		err = serveWorker(os.Stdin, os.Stdout, f)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "conclab worker (pid %d): %v\n", os.Getpid(), err)
		os.Exit(1)
	}
	os.Exit(0)
}

// ServeWorker serves the process pool's protocol: it reads request frames
// from r, computes [SquareNumbers] for each, and writes one response frame
// for each to w, in order, until r ends. It returns nil when r ends cleanly
// between two frames, and an error wrapping [ErrMalformedFrame] as soon as
// a frame breaks the protocol (the stream cannot be trusted after that); a
// request with lo > hi is answered with an error frame and serving goes on.
// The protocol is described in frame.go.
func ServeWorker(r io.Reader, w io.Writer) error {
	return serveWorker(r, w, workerFault{})
}

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

func serveWorker(r io.Reader, w io.Writer, fault workerFault) error {
	br := bufio.NewReader(r)
	var in, out []byte
	for served := 0; ; served++ {
		var f frame
		var err error
		f, in, err = readFrame(br, in)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading a request: %w", err)
		}
		req, err := decodeRequest(f)
		if err != nil {
			return fmt.Errorf("reading a request: %w", err)
		}
		resp := kernelResponse{ID: req.ID}
		if req.Lo > req.Hi {
			resp.Err = fmt.Sprintf("bad range [%d, %d): lo > hi", req.Lo, req.Hi)
		} else {
			resp.Sum = SquareNumbers(int(req.Lo), int(req.Hi))
		}
		out = resp.appendTo(out[:0])
		if fault.kind != "" && served >= fault.after {
			out, err = fault.inject(resp, out)
			if err != nil {
				return err
			}
		}
		if _, err := w.Write(out); err != nil {
			return fmt.Errorf("writing a response: %w", err)
		}
	}
}

// inject applies the fault to the response about to be written: it exits
// or hangs, or returns the bytes to write instead of out.
func (f workerFault) inject(resp kernelResponse, out []byte) ([]byte, error) {
	switch f.kind {
	case "exit":
		fmt.Fprintf(os.Stderr, "conclab worker (pid %d): injected fault: exit 3\n", os.Getpid())
		os.Exit(3)
	case "hang":
		for {
			time.Sleep(time.Hour) // a timer, so that the runtime sees no deadlock
		}
	case "garbage":
		return []byte("this is not a frame\n"), nil
	case "oversize":
		return []byte{frameMagic, frameVersion, byte(frameResult), 0, 0x40, 0, 0, 0}, nil
	case "wrong-id":
		resp.ID++
		return resp.appendTo(out[:0]), nil
	}
	return nil, errors.New("unreachable: unknown fault " + f.kind)
}
