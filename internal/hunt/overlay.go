package hunt

import (
	"github.com/conclab/conclab/internal/gotool"
	"github.com/conclab/conclab/internal/hunt/instrument"
)

// instrumentBuild instruments p into dir and returns the hunted build's
// -overlay (and -modfile, for a package of the module cache). noLocks
// keeps the package's sync.Mutex and sync.RWMutex.
func instrumentBuild(dir, gomod string, p *gotool.Package, noLocks bool) (*instrument.Build, error) {
	return instrument.Instrument(dir, []instrument.Package{*p}, instrument.Options{GoMod: gomod, NoLocks: noLocks})
}
