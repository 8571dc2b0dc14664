// Package gate decides whether a benchmark run is a regression of another,
// from the comparison benchstat already made. It is the logic behind
// scripts/bench-gate:
//
//	go tool benchstat -format csv old.txt new.txt > cmp.csv
//	go run ./perf/gate/cmd/bench-gate -threshold 10 cmp.csv
//
// A row of the comparison is a regression when both hold:
//
//   - benchstat found the difference significant (it printed a delta, not
//     "~", at its -alpha, 0.05 by default), and
//   - the new run is slower than the old by more than the threshold.
//
// "Slower" is read from the unit. Time per something (sec/op, sec/item; the
// ns/… units benchmarks report are printed by benchstat as sec/…) is slower
// when it grows: slowdown = new/old − 1. A rate (items/s, ops/s, B/s) is
// slower when it shrinks: slowdown = old/new − 1, so that 10 % slower means
// the same in either unit. Other units (B/op, allocs/op, speedup, ...) are
// not gated.
//
// A difference benchstat calls noise passes however large its median, and
// so does everything measured too few times for a test to be significant:
// run the benchmarks with -count 6 or more on both sides.
package gate

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// DefaultThreshold is the slowdown, as a fraction, beyond which a
// significant difference fails the gate: 10 %.
const DefaultThreshold = 0.10

// Row is one line of a two-column benchstat comparison.
type Row struct {
	// Benchmark is the name as benchstat prints it, without the "Benchmark"
	// prefix: "Counter/mutex-2".
	Benchmark string
	// Unit is benchstat's unit: "sec/op", "items/s", "B/op".
	Unit string
	// Old and New are the centres (medians) of the two runs.
	Old, New float64
	// Delta is benchstat's "vs base" column: "+19.18%", or "~" when the
	// difference is not significant.
	Delta string
	// P is benchstat's P column: "p=0.002 n=6".
	P string
}

// Significant reports whether benchstat found the difference significant.
func (r Row) Significant() bool { return r.Delta != "" && r.Delta != "~" }

// Slowdown returns how much slower New is than Old, as a fraction (0.2 is
// 20 % slower, negative is faster), and whether the unit is one the gate
// measures speed by (see the package comment).
func (r Row) Slowdown() (float64, bool) {
	if r.Old <= 0 || r.New <= 0 {
		return 0, false
	}
	switch {
	case strings.HasPrefix(r.Unit, "sec/"):
		return r.New/r.Old - 1, true
	case strings.HasSuffix(r.Unit, "/s"):
		return r.Old/r.New - 1, true
	}
	return 0, false
}

// ParseCSV reads the output of `benchstat -format csv OLD NEW`: for each
// unit a table whose first header row names the two files and whose second
// names the unit, followed by one row per benchmark and a geomean row. The
// geomean rows and benchmarks missing from either file are left out.
func ParseCSV(r io.Reader) ([]Row, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // config lines ("goos: linux") are one field
	var (
		rows []Row
		unit string
		line int
	)
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("benchstat csv: %w", err)
		}
		line++
		if len(rec) < 7 {
			continue // a configuration line, or a blank one between tables
		}
		if len(rec) > 7 {
			return nil, fmt.Errorf("benchstat csv line %d: %d columns: the gate compares exactly two files", line, len(rec))
		}
		switch {
		case rec[0] == "" && rec[2] == "CI" && rec[5] == "vs base":
			unit = rec[1] // the second header row: ,sec/op,CI,sec/op,CI,vs base,P
			continue
		case rec[0] == "":
			continue // the first header row: the file names
		case rec[0] == "geomean":
			continue
		}
		if unit == "" {
			return nil, fmt.Errorf("benchstat csv line %d: a benchmark row before any unit header", line)
		}
		if rec[1] == "" || rec[3] == "" {
			continue // in one file only: nothing to compare
		}
		old, err := strconv.ParseFloat(rec[1], 64)
		if err != nil {
			return nil, fmt.Errorf("benchstat csv line %d: old value %q: %w", line, rec[1], err)
		}
		nw, err := strconv.ParseFloat(rec[3], 64)
		if err != nil {
			return nil, fmt.Errorf("benchstat csv line %d: new value %q: %w", line, rec[3], err)
		}
		rows = append(rows, Row{Benchmark: rec[0], Unit: unit, Old: old, New: nw, Delta: rec[5], P: rec[6]})
	}
	if unit == "" {
		return nil, errors.New("benchstat csv: no comparison table found (were both files benchmark output?)")
	}
	return rows, nil
}

// Finding is one row the gate measured, with its verdict.
type Finding struct {
	Row
	// Slowdown is how much slower the new run is, as a fraction.
	Slowdown float64
	// Regression is true when the row fails the gate.
	Regression bool
}

func (f Finding) String() string {
	verdict := "ok"
	switch {
	case f.Regression:
		verdict = "REGRESSION"
	case !f.Significant():
		verdict = "ok (not significant)"
	}
	return fmt.Sprintf("%s [%s]: slowdown %+.1f%%, %s: %s", f.Benchmark, f.Unit, 100*f.Slowdown, f.P, verdict)
}

// Decide measures every row whose unit tells speed and returns them, each
// with its verdict, and whether any is a regression beyond threshold (a
// fraction: 0.1 is 10 %).
func Decide(rows []Row, threshold float64) (findings []Finding, failed bool) {
	for _, r := range rows {
		s, ok := r.Slowdown()
		if !ok {
			continue
		}
		f := Finding{Row: r, Slowdown: s, Regression: r.Significant() && s > threshold}
		failed = failed || f.Regression
		findings = append(findings, f)
	}
	return findings, failed
}
