// Package uploader is the fixed twin of a hunt corpus kernel: a double Lock on an error path,
// in a goroutine nobody waits for.
//
// Start uploads in the background and returns; when the upload fails, the
// goroutine calls fail, which locks the mutex the goroutine still holds
// (cockroach#9935's shape, off the test's goroutine). The test returns
// before the goroutine blocks on itself.
package uploader

import (
	"errors"
	"sync"
)

// Uploader uploads in the background.
type Uploader struct {
	mu      sync.Mutex
	upload  func() error
	done    int
	lastErr error
}

// New returns an uploader that calls upload.
func New(upload func() error) *Uploader { return &Uploader{upload: upload} }

// Start uploads once in the background.
func (u *Uploader) Start() { go u.run() }

func (u *Uploader) run() {
	u.mu.Lock()
	if err := u.upload(); err != nil {
		u.mu.Unlock()
		u.fail(err)
		return
	}
	u.done++
	u.mu.Unlock()
}

func (u *Uploader) fail(err error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.lastErr = errors.Join(u.lastErr, err)
}
