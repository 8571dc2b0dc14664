package hunt

// overlayHook instruments one package for its build: it writes the overlay
// into dir and returns its path and the environment the build needs. Nil
// means plain -race builds.
var overlayHook func(dir string, p *listedPackage) (overlay string, env []string, err error)
