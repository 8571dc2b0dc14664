package rt

// The kinds of finding the hooks report, by the names internal/hunt's table
// of detectors gives them.
const (
	KindLeak      = "leak"
	KindDeadlock  = "deadlock"
	KindLockOrder = "lock-order"
)

// EnvLeaks is the variable that, set to "off", checks no test for leaked
// goroutines: hunt's runs of a test whose leak was already found.
const EnvLeaks = "CONCLAB_HUNT_LEAKS"

// EnvGODEBUG holds the user's GODEBUG when hunt adds its own settings
// (tracebackancestors, for the creation stacks of leaked goroutines): the
// runtime restores it once the Go runtime has read both.
const EnvGODEBUG = "CONCLAB_HUNT_GODEBUG"
