package profiling

import (
	"cmp"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// replaceRecordings replaces the recordings in dir by the complete set in
// staging, run files last, and removes staging. Other files in dir stay.
func replaceRecordings(dir, staging string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := removeStale(dir); err != nil {
		return err
	}
	entries, err := os.ReadDir(staging)
	if err != nil {
		return err
	}
	// A run file marks a complete recording: move it after its profiles.
	last := func(e os.DirEntry) int {
		if runFile.MatchString(e.Name()) {
			return 1
		}
		return 0
	}
	slices.SortStableFunc(entries, func(a, b os.DirEntry) int { return cmp.Compare(last(a), last(b)) })
	for _, e := range entries {
		if err := os.Rename(filepath.Join(staging, e.Name()), filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return os.Remove(staging)
}

// removeAllRecordings removes from out every recording (the files
// removeStale removes, in each scenario directory), every speed-up chart
// and the scenario directories left empty.
func removeAllRecordings(out string) error {
	entries, err := os.ReadDir(out)
	if err != nil {
		return err
	}
	for _, e := range entries {
		path := filepath.Join(out, e.Name())
		switch {
		case e.IsDir() && !strings.HasPrefix(e.Name(), "."):
			if err := removeStale(path); err != nil {
				return err
			}
			os.Remove(path) // only if empty
		case chartFile.MatchString(e.Name()):
			if err := os.Remove(path); err != nil {
				return err
			}
		}
	}
	return nil
}

// staleFile matches the files a recording writes.
var staleFile = regexp.MustCompile(`^(cpu|mutex|block|goroutine|run)-\d+\.(pb\.gz|svg|json)$`)

// removeStale removes earlier recordings from dir, so that a report never
// mixes them with this session's. Other files are left alone.
func removeStale(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.IsDir() && staleFile.MatchString(e.Name()) {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}
