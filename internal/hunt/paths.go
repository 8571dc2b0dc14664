package hunt

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/conclab/conclab/internal/hunt/instrument"
)

// A pathMapper rewrites the paths of a finding that point into hunt's
// temporary copy of a module-cache module (pkgN/mod/K/... under the hunt's
// work directory, deleted when the hunt ends) to the module's directory in
// the module cache, from the copy's instrument.OriginFile.
type pathMapper struct {
	copyDir *regexp.Regexp
	origin  map[string]string // copy dir -> module cache dir ("" unknown)
}

func newPathMapper(work string) *pathMapper {
	return &pathMapper{
		copyDir: regexp.MustCompile(regexp.QuoteMeta(filepath.ToSlash(work)) + `/pkg\d+(?:/nolocks)?/mod/\d+`),
		origin:  map[string]string{},
	}
}

// fix returns s with every copy's directory replaced by its origin.
func (m *pathMapper) fix(s string) string {
	if m == nil || !strings.Contains(s, "/mod/") {
		return s
	}
	return m.copyDir.ReplaceAllStringFunc(s, func(dir string) string {
		o, ok := m.origin[dir]
		if !ok {
			if data, err := os.ReadFile(filepath.Join(filepath.FromSlash(dir), instrument.OriginFile)); err == nil {
				o = strings.TrimSpace(string(data))
			}
			m.origin[dir] = o
		}
		if o == "" {
			return dir
		}
		return filepath.ToSlash(o)
	})
}

// fixFinding rewrites f's message and stacks.
func (m *pathMapper) fixFinding(f *Finding) {
	f.Message = m.fix(f.Message)
	for i, s := range f.Stacks {
		f.Stacks[i] = m.fix(s)
	}
}
