package main

import (
	"context"
	"errors"
	"io"
)

func runWorker(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("not built yet: the process-pool worker lands with the process-pool scenario")
}
