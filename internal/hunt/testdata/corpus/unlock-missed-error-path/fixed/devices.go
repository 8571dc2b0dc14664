// Package devmapper is the fixed twin of a hunt corpus kernel (Unlock missed on
// an error path, moby#17176): CleanupDeleted defers the Unlock.
package devmapper

import (
	"errors"
	"sync"
)

// ErrNotActive is returned when the pool is not active.
var ErrNotActive = errors.New("devmapper: pool not active")

// DeviceSet tracks devices of a thin pool.
type DeviceSet struct {
	mu      sync.Mutex
	active  bool
	deleted []string
	devices map[string]bool
}

// NewDeviceSet returns an empty set.
func NewDeviceSet(active bool) *DeviceSet {
	return &DeviceSet{active: active, devices: map[string]bool{}}
}

// CleanupDeleted forgets devices marked deleted.
func (d *DeviceSet) CleanupDeleted() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.active {
		return ErrNotActive
	}
	for _, name := range d.deleted {
		delete(d.devices, name)
	}
	d.deleted = nil
	return nil
}

// Add registers a device.
func (d *DeviceSet) Add(name string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.devices[name] = true
}
