package uploader

import (
	"errors"
	"testing"
)

func TestStartFailing(t *testing.T) {
	u := New(func() error { return errors.New("503") })
	u.Start()
}
