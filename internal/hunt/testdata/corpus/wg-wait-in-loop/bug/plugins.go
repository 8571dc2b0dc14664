// Package plugins is a hunt corpus kernel: WaitGroup.Wait inside the loop that
// starts the goroutines.
//
// It has the shape of moby#25384 (the plugin manager's init): Add(len(plugins))
// is called once, but Wait is called after each goroutine is started, so the
// first Wait needs every Done while only one goroutine exists. With more than
// one plugin the manager blocks forever.
package plugins

import "sync"

// Plugin is a plugin to restore.
type Plugin struct {
	Name     string
	restored bool
}

// Manager restores plugins at start-up.
type Manager struct {
	plugins []*Plugin
}

// New returns a manager for plugins.
func New(plugins ...*Plugin) *Manager { return &Manager{plugins: plugins} }

// Init restores every plugin concurrently.
func (m *Manager) Init() {
	var group sync.WaitGroup
	group.Add(len(m.plugins))
	for _, p := range m.plugins {
		go func() {
			defer group.Done()
			p.restored = true
		}()
		group.Wait() // bug: belongs after the loop
	}
}
