// Package plugins is the fixed twin of a hunt corpus kernel (WaitGroup.Wait in
// the loop, moby#25384): Wait is called once, after the loop.
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
	}
	group.Wait()
}
