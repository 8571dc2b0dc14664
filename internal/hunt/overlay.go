package hunt

import (
	"github.com/conclab/conclab/internal/hunt/instrument"
)

// instrumentFlags instruments p into dir and returns the go test flags of
// the hunted build (-overlay, and -modfile for a package of the module
// cache). noLocks keeps the package's sync.Mutex and sync.RWMutex.
func instrumentFlags(dir, gomod string, p *listedPackage, noLocks bool) ([]string, error) {
	ip := instrument.Package{
		ImportPath: p.ImportPath, Dir: p.Dir, Name: p.Name,
		GoFiles: p.GoFiles, TestGoFiles: p.TestGoFiles, XTestGoFiles: p.XTestGoFiles,
	}
	if p.Module != nil {
		ip.Module = instrument.Module{Path: p.Module.Path, Dir: p.Module.Dir, GoVersion: p.Module.GoVersion, Main: p.Module.Main}
	}
	b, err := instrument.Instrument(dir, []instrument.Package{ip}, instrument.Options{GoMod: gomod, NoLocks: noLocks})
	if err != nil {
		return nil, err
	}
	return b.Flags(), nil
}
