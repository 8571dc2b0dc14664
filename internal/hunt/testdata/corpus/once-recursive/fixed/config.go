// Package config is the fixed twin of a hunt corpus kernel (Once.Do re-entered
// from its own function): load reads its own map instead of calling Get.
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
	c.vals["port"] = c.vals["default-port"]
}
