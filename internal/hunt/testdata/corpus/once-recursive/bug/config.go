// Package config is a hunt corpus kernel: sync.Once.Do called again from
// inside its own function.
//
// Get loads the configuration once with once.Do(c.load), and load fills a
// default by calling Get, which calls once.Do again on the same goroutine.
// Do's second call waits for the first to finish, which waits for it: the
// goroutine blocks forever on the Once's internal mutex. No user mutex is
// involved, so a lock-order checker on the package's mutexes cannot see it;
// only the hang can.
package config

import "sync"

// Config is loaded lazily on first use.
type Config struct {
	once sync.Once
	vals map[string]string
}

// Get returns the value of key, loading the configuration on first use.
func (c *Config) Get(key string) string {
	c.once.Do(c.load)
	return c.vals[key]
}

func (c *Config) load() {
	c.vals = map[string]string{"default-port": "8080"}
	c.vals["port"] = c.Get("default-port") // bug: re-enters once.Do
}
