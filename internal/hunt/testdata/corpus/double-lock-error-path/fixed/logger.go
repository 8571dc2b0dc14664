// Package logging is the fixed twin of a hunt corpus kernel (double Lock on an
// error path, cockroach#9935): Output releases l.mu before calling exit.
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
		l.mu.Unlock()
		l.exit(err)
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
