//go:build conclabhunt && race

package rt

import "runtime"

// raceDisable hides the runtime's own synchronisation from the race detector,
// so that hunting adds no happens-before edge between the user's goroutines.
func raceDisable() { runtime.RaceDisable() }

func raceEnable() { runtime.RaceEnable() }
