package instrument

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/conclab/conclab/internal/gotool"
	"github.com/conclab/conclab/internal/pprofkit"
)

// OriginFile, at the root of a copy of a module-cache module, holds the
// directory it was copied from: the hunted binary's stacks name the copy,
// which is deleted after the hunt, and a report names the original.
const OriginFile = ".conclab-origin"

// RuntimeName is the name of the runtime package the overlay adds to each
// hunted module, and the name the rewritten files import it under.
const RuntimeName = "conclabhuntrt"

// Package describes one package to instrument, as `go list -json`
// reports it ([gotool.List]): its Module must be set.
type Package = gotool.Package

// Options tune Instrument.
type Options struct {
	// GoMod is the main module's go.mod (`go env GOMOD`). It is needed only
	// to hunt a package of the module cache, which the go command does not
	// let an overlay replace: Instrument then copies that module into
	// workDir and writes a go.mod for -modfile that replaces it by the copy.
	GoMod string
	// NoLocks keeps sync.Mutex and sync.RWMutex: for a package whose API
	// hands its locks to other packages, which would not compile with the
	// instrumented types.
	NoLocks bool
}

// Build is the result of Instrument: the flags of the hunted build.
type Build struct {
	Overlay string // file for go test -overlay
	ModFile string // file for go test -modfile, or empty
}

// Flags returns the go test flags that select the instrumented build.
func (b *Build) Flags() []string {
	flags := []string{"-overlay=" + b.Overlay}
	if b.ModFile != "" {
		flags = append(flags, "-modfile="+b.ModFile)
	}
	return flags
}

//go:embed rt/*.go
var runtimeFiles embed.FS

// Overlay instruments pkgs, which must not live in the module cache (see
// Options.GoMod), into workDir, and returns the overlay file for
// `go test -overlay`.
func Overlay(workDir string, pkgs []Package) (string, error) {
	b, err := Instrument(workDir, pkgs, Options{})
	if err != nil {
		return "", err
	}
	return b.Overlay, nil
}

// Instrument writes the rewritten files of pkgs and the runtime into
// workDir, which must exist, and returns the flags of the hunted build. It
// never writes outside workDir.
func Instrument(workDir string, pkgs []Package, opts Options) (*Build, error) {
	workDir, err := filepath.Abs(workDir)
	if err != nil {
		return nil, err
	}
	w := &writer{work: workDir, opts: opts, replace: map[string]string{}, modules: map[string]string{}}
	if err := w.locateCache(pkgs); err != nil {
		return nil, err
	}
	for i := range pkgs {
		if err := w.pkg(&pkgs[i]); err != nil {
			return nil, err
		}
	}
	b := &Build{Overlay: filepath.Join(workDir, "overlay.json")}
	data, err := json.MarshalIndent(struct{ Replace map[string]string }{w.replace}, "", "\t")
	if err != nil {
		return nil, err
	}
	if err := writeFile(b.Overlay, data); err != nil {
		return nil, err
	}
	if len(w.copies) > 0 {
		if b.ModFile, err = w.modFile(); err != nil {
			return nil, err
		}
	}
	return b, nil
}

type writer struct {
	work    string
	opts    Options
	cache   string            // GOMODCACHE, when a package lives there
	replace map[string]string // overlay: original path -> rewritten copy
	modules map[string]string // module dir -> dir of its runtime as the build sees it
	copies  []modCopy
	n       int
}

type modCopy struct{ path, dir string }

func (w *writer) locateCache(pkgs []Package) error {
	cache, err := gotool.Env(context.Background(), "", "GOMODCACHE")
	if err != nil {
		return fmt.Errorf("instrument: %v", err)
	}
	w.cache = cache
	return nil
}

func (w *writer) inCache(dir string) bool {
	return w.cache != "" && strings.HasPrefix(dir, w.cache+string(filepath.Separator))
}

// pkg instruments one package: its files, and its module's runtime once.
func (w *writer) pkg(p *Package) error {
	if p.Module == nil || p.Module.Path == "" || p.Module.Dir == "" {
		return fmt.Errorf("instrument: %s is not in a module", p.ImportPath)
	}
	dir, err := w.module(p)
	if err != nil {
		return err
	}
	rtPath := p.Module.Path + "/" + RuntimeName
	w.n++
	files := filepath.Join(w.work, "files", strconv.Itoa(w.n))
	for _, set := range []struct {
		names []string
		test  bool
	}{{p.GoFiles, false}, {p.TestGoFiles, true}, {p.XTestGoFiles, true}} {
		for _, name := range set.names {
			orig := filepath.Join(p.Dir, name)
			src, err := os.ReadFile(orig)
			if err != nil {
				return fmt.Errorf("instrument: %v", err)
			}
			out, changed, err := Rewrite(src, orig, RewriteOptions{
				Runtime: rtPath, Tests: set.test, Locks: !w.opts.NoLocks, SitePrefix: p.ImportPath,
			})
			if err != nil {
				return err
			}
			if !changed {
				continue
			}
			if dir != p.Dir {
				// A copied module: overwrite the copy in place.
				if err := writeFile(filepath.Join(dir, name), out); err != nil {
					return err
				}
				continue
			}
			copyPath := filepath.Join(files, name)
			if err := writeFile(copyPath, out); err != nil {
				return err
			}
			w.replace[orig] = copyPath
		}
	}
	return nil
}

// module returns the directory the build reads p's files from (p.Dir, or
// its place in a copy of its module) and writes the module's runtime once.
func (w *writer) module(p *Package) (string, error) {
	modDir := p.Module.Dir
	rel, err := filepath.Rel(modDir, p.Dir)
	if err != nil || strings.HasPrefix(rel, "..") {
		return "", fmt.Errorf("instrument: %s is outside its module %s", p.Dir, modDir)
	}
	if w.inCache(modDir) {
		if w.opts.GoMod == "" || w.opts.GoMod == os.DevNull {
			return "", fmt.Errorf("instrument: %s is in the module cache; hunting it needs Options.GoMod (a main module)", p.ImportPath)
		}
		copyDir, ok := w.modules[modDir]
		if !ok {
			copyDir = filepath.Join(w.work, "mod", strconv.Itoa(len(w.copies)+1))
			if err := copyTree(modDir, copyDir); err != nil {
				return "", err
			}
			if err := ensureGoMod(copyDir, p.Module.Path); err != nil {
				return "", err
			}
			if err := writeFile(filepath.Join(copyDir, OriginFile), []byte(modDir)); err != nil {
				return "", err
			}
			w.copies = append(w.copies, modCopy{path: p.Module.Path, dir: copyDir})
			w.modules[modDir] = copyDir
			if err := w.runtime(copyDir, false); err != nil {
				return "", err
			}
		}
		return filepath.Join(copyDir, rel), nil
	}
	if _, ok := w.modules[modDir]; !ok {
		if _, err := os.Stat(filepath.Join(modDir, RuntimeName)); err == nil {
			return "", fmt.Errorf("instrument: %s already has a %s directory", modDir, RuntimeName)
		}
		w.modules[modDir] = modDir
		if err := w.runtime(modDir, true); err != nil {
			return "", err
		}
	}
	return p.Dir, nil
}

// runtime adds the runtime package to the module at modDir: through the
// overlay, or written into a module copy.
func (w *writer) runtime(modDir string, overlay bool) error {
	dst := filepath.Join(modDir, RuntimeName)
	if overlay {
		dst = filepath.Join(w.work, "rt", strconv.Itoa(len(w.modules)))
	}
	entries, err := runtimeFiles.ReadDir("rt")
	if err != nil {
		return err
	}
	add := func(name string, data []byte) error {
		path := filepath.Join(dst, name)
		if err := writeFile(path, data); err != nil {
			return err
		}
		if overlay {
			w.replace[filepath.Join(modDir, RuntimeName, name)] = path
		}
		return nil
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		data, err := runtimeFiles.ReadFile("rt/" + e.Name())
		if err != nil {
			return err
		}
		if err := add(e.Name(), runtimeSource(data)); err != nil {
			return err
		}
	}
	return nil
}

// runtimeSource turns a file of package rt into one of the injected
// runtime: the package clause renamed, the conclabhunt build tag dropped
// (it keeps the hooks out of every other build).
func runtimeSource(src []byte) []byte {
	src = bytes.Replace(src, []byte("\npackage rt\n"), []byte("\npackage "+RuntimeName+"\n"), 1)
	if bytes.HasPrefix(src, []byte("package rt\n")) {
		src = append([]byte("package "+RuntimeName+"\n"), src[len("package rt\n"):]...)
	}
	src = bytes.Replace(src, []byte("//go:build conclabhunt && "), []byte("//go:build "), 1)
	src = bytes.Replace(src, []byte("//go:build conclabhunt\n"), nil, 1)
	return src
}

// modFile writes a copy of the main go.mod that replaces each copied module
// by its copy, and the go.sum beside it.
func (w *writer) modFile() (string, error) {
	mod, err := os.ReadFile(w.opts.GoMod)
	if err != nil {
		return "", fmt.Errorf("instrument: %v", err)
	}
	var b bytes.Buffer
	b.Write(mod)
	b.WriteString("\n")
	for _, c := range w.copies {
		fmt.Fprintf(&b, "replace %s => %s\n", c.path, c.dir)
	}
	path := filepath.Join(w.work, "hunt.mod")
	if err := writeFile(path, b.Bytes()); err != nil {
		return "", err
	}
	sum, err := os.ReadFile(strings.TrimSuffix(w.opts.GoMod, ".mod") + ".sum")
	if err != nil && !os.IsNotExist(err) {
		return "", fmt.Errorf("instrument: %v", err)
	}
	if err := writeFile(filepath.Join(w.work, "hunt.sum"), sum); err != nil {
		return "", err
	}
	return path, nil
}

// ensureGoMod gives a copied module that has no go.mod (a +incompatible
// version, from before modules) the go.mod the go command assumes for it,
// which a replacement directory must have.
func ensureGoMod(dir, path string) error {
	gomod := filepath.Join(dir, "go.mod")
	if _, err := os.Stat(gomod); err == nil {
		return nil
	}
	return writeFile(gomod, []byte(fmt.Sprintf("module %s\n\ngo 1.16\n", path)))
}

// copyTree copies the regular files under src to dst, writable.
func copyTree(src, dst string) error {
	return filepath.Walk(src, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if info.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !info.Mode().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}

// writeFile writes data to path atomically (a temporary file renamed into
// place), making its directory.
func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("instrument: %v", err)
	}
	if err := pprofkit.WriteBytes(path, data); err != nil {
		return fmt.Errorf("instrument: %v", err)
	}
	return nil
}
