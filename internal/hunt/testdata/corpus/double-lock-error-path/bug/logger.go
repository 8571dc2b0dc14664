// Package logging is a hunt corpus kernel: a double Lock on an early-return
// (error) path.
//
// It has the shape of cockroach#9935: outputLogEntry holds l.mu when creating
// the log file fails and calls exit, which takes l.mu again. The same goroutine
// blocks on a mutex it already holds.
package logging

import (
	"errors"
	"sync"
)

// ErrExited is returned by Output after the logger gave up.
var ErrExited = errors.New("logging: exited")

// Logger writes entries to a file it creates on first use.
type Logger struct {
	mu      sync.Mutex
	create  func() error
	entries int
	exitErr error
}

// New returns a logger whose file is created by create.
func New(create func() error) *Logger { return &Logger{create: create} }

// Output records one entry, or exits the logger if its file cannot be created.
func (l *Logger) Output(msg string) error {
	l.mu.Lock()
	if err := l.create(); err != nil {
		l.exit(err) // bug: l.mu is still held and exit locks it again
		return ErrExited
	}
	l.entries++
	l.mu.Unlock()
	return nil
}

func (l *Logger) exit(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.exitErr = err
}
