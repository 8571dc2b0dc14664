package hunt

import (
	"fmt"
	"io"
)

// A Baseline is the set of fingerprints of the findings of an earlier hunt
// (its -json output, such as a hunt of the base branch): a finding whose
// fingerprint is in it is known, and a gate fails only on the others.
type Baseline struct {
	Path  string
	known map[string]bool
}

// ReadBaseline reads the -json output of an earlier hunt (or of -merge).
// A file without a summary is an error: that hunt did not finish, and a
// baseline missing findings would fail every pull request on them.
func ReadBaseline(path string) (*Baseline, error) {
	sum, err := readJSON(path)
	if err != nil {
		return nil, err
	}
	b := &Baseline{Path: path, known: map[string]bool{}}
	for _, t := range sum.Tests {
		for _, f := range t.All() {
			b.known[f.Fingerprint()] = true
		}
	}
	return b, nil
}

// Len is the number of distinct fingerprints in the baseline.
func (b *Baseline) Len() int { return len(b.known) }

// Known reports whether f's fingerprint is in the baseline.
func (b *Baseline) Known(f *Finding) bool { return b != nil && b.known[f.Fingerprint()] }

// Split divides the summary's findings into the known and the new, each in
// the summary's order.
func (b *Baseline) Split(s *Summary) (known, fresh []*Finding) {
	for _, t := range s.Tests {
		for _, f := range t.All() {
			if b.Known(f) {
				known = append(known, f)
			} else {
				fresh = append(fresh, f)
			}
		}
	}
	return known, fresh
}

// WriteText prints one line per new finding and the baseline's summary line:
// how many of the findings were known.
func (b *Baseline) WriteText(w io.Writer, s *Summary) error {
	known, fresh := b.Split(s)
	for _, f := range fresh {
		if _, err := fmt.Fprintf(w, "NEW   %s %s  %s (fingerprint %s)\n", f.Package, f.Test, f.Kind, f.Fingerprint()); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "hunt: baseline %s: %d of %d finding%s known, %d new\n",
		b.Path, len(known), len(known)+len(fresh), plural(len(known)+len(fresh)), len(fresh))
	return err
}

// BaselineSummary is the JSON object -baseline adds before the summary.
type BaselineSummary struct {
	Type            string   `json:"type"` // "baseline"
	Path            string   `json:"path"`
	Known           int      `json:"known"`
	New             int      `json:"new"`
	NewFingerprints []string `json:"new_fingerprints,omitempty"`
}

// JSON is the baseline's account of s for -json.
func (b *Baseline) JSON(s *Summary) BaselineSummary {
	known, fresh := b.Split(s)
	out := BaselineSummary{Type: "baseline", Path: b.Path, Known: len(known), New: len(fresh)}
	for _, f := range fresh {
		out.NewFingerprints = append(out.NewFingerprints, f.Fingerprint())
	}
	return out
}
