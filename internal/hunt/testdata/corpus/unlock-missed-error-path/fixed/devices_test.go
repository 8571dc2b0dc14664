package devmapper

import (
	"errors"
	"testing"
)

// TestCleanupInactivePool runs the cleanup on a background goroutine, as the
// daemon does, then adds a device.
func TestCleanupInactivePool(t *testing.T) {
	d := NewDeviceSet(false)
	errc := make(chan error, 1)
	go func() { errc <- d.CleanupDeleted() }()
	if err := <-errc; !errors.Is(err, ErrNotActive) {
		t.Fatalf("CleanupDeleted = %v, want ErrNotActive", err)
	}
	d.Add("thin-1")
	if !d.devices["thin-1"] {
		t.Error("thin-1 not registered")
	}
}
