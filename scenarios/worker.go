package scenarios

import (
	"bufio"
	"fmt"
	"io"
	"os"
)

// WorkerEnv is the environment variable that makes a process a process-pool
// worker: [SubprocessPool] starts copies of its own binary with WorkerEnv=1, and
// [ServeIfWorker], called first thing in main and in every TestMain, turns
// them into workers before anything else runs.
const WorkerEnv = "CONCLAB_WORKER"

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
	if err := ServeWorker(os.Stdin, os.Stdout); err != nil {
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
	br := bufio.NewReader(r)
	var in, out []byte
	for {
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
		if _, err := w.Write(out); err != nil {
			return fmt.Errorf("writing a response: %w", err)
		}
	}
}
