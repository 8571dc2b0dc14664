package profiling

import (
	"cmp"
	"errors"
	"fmt"
	"github.com/conclab/conclab/internal/pprofkit"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/conclab/conclab/scenarios"
)

// Row is one recording as the report shows it: one line of a scenario's
// scaling table.
type Row struct {
	// Run is the recording's metadata; Dir the directory of its files.
	Run *Run
	Dir string
	// Set is the run set the recording belongs to.
	Set *Set
	// CPU is read from the CPU profile.
	CPU pprofkit.CPUStats
	// ChildParallelism is the average number of cores busy in child
	// processes (Run.ChildCPUSeconds ÷ wall), which the profile cannot see.
	ChildParallelism float64
	// Mutex and Block are read from the contention profiles, per round
	// (like the wall time); nil where none was recorded.
	Mutex, Block *pprofkit.WaitStats
	// SpeedupN1 is the wall time of one round at n = 1 divided by this
	// row's, within the same run set; 0 when there is no n = 1 recording.
	SpeedupN1 float64
	// SpeedupSerial is the serial baseline's round divided by this row's;
	// 0 when the scenario has no serial baseline.
	SpeedupSerial float64
	// Efficiency is SpeedupN1 ÷ n, for scenarios whose claim is about the
	// cores; 0 for those that wait, whose OverPath says how well they did.
	Efficiency float64
	// OverPath is, for a scenario that waits, one round's wall time over
	// its critical path (Run.CriticalPathSeconds): 1 when the waits overlap
	// perfectly, whatever n. 0 where there is no critical path.
	OverPath float64
	// Earlier is set when the recording belongs to an earlier session than
	// the newest of its run set (see [Run.Session]): it was made at another
	// moment, maybe with another work size, and is compared with nothing of
	// the newer session.
	Earlier bool
	// Verdict is "yes", "no", "inconclusive" or "baseline": what this
	// row says of the claim its scenario declares (see judge); Evidence
	// says what that means for Go, and why, in numbers.
	Verdict, Evidence string
}

// Set is a run set: one directory of scenario directories, recorded on one
// machine.
type Set struct {
	// Dir is the set's directory as found.
	Dir string
	// Label names the set in tables and charts: the machine, and the
	// directory when several sets are merged.
	Label string
	// Machine is where the set was recorded; From and To bound its dates.
	Machine  pprofkit.Machine
	From, To time.Time
}

// ScenarioReport gathers the rows of one scenario across every set.
type ScenarioReport struct {
	Name, Section, Kind, Doc string
	// Python is the article's snippet the scenario replaces.
	Python string
	// Claim is what the article says that this scenario tests.
	Claim string
	// Rows are ordered by set, then n.
	Rows []*Row
	// Chart is the file name of the speed-up chart, in the output directory.
	Chart string
	chart string // the chart's SVG
}

// Data is a loaded report: every scenario's rows and every set.
type Data struct {
	Scenarios []*ScenarioReport
	Sets      []*Set
	// Out is the directory the report is written to; links are relative to it.
	Out string
	// By names the command that wrote the report, for its header:
	// "conclab report" if empty.
	By string
	// Skipped holds one error for each recording that could not be read (a
	// corrupt profile, a run file that is not one): the report leaves those
	// rows out and says so.
	Skipped []error
}

// ErrNoRecordings is returned by [Load] and [Report] when the directories
// hold no recording at all.
var ErrNoRecordings = errors.New("no recordings")

// runFile matches the metadata files of recordings.
var runFile = regexp.MustCompile(`^run-\d+\.json$`)

// Load finds every recording (every run-N.json) under dirs, reads and
// analyses its profiles, and returns the report's data, with links
// relative to out. The directory holding a scenario directory is a run
// set: give several directories, or one with a sub-directory per machine,
// to merge machines. A recording whose run file or profiles cannot be read
// is left out and listed in Data.Skipped; Load fails on a missing
// directory, on directories with no recordings ([ErrNoRecordings]) and
// when no recording at all can be read.
func Load(out string, dirs ...string) (*Data, error) {
	if len(dirs) == 0 {
		return nil, errors.New("no directory to read")
	}
	d := &Data{Out: out}
	sets := map[string]*Set{}
	byName := map[string]*ScenarioReport{}
	seen := map[string]bool{}
	for _, root := range dirs {
		if info, err := os.Stat(root); err != nil {
			return nil, err
		} else if !info.IsDir() {
			return nil, &fs.PathError{Op: "read", Path: root, Err: syscall.ENOTDIR}
		}
		err := filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if e.IsDir() && path != root && strings.HasPrefix(e.Name(), ".") {
				return filepath.SkipDir // a staging directory of an unfinished session
			}
			if e.IsDir() || !runFile.MatchString(e.Name()) {
				return nil
			}
			abs, err := filepath.Abs(path)
			if err != nil {
				return err
			}
			if seen[abs] {
				return nil
			}
			seen[abs] = true
			row, err := loadRow(path)
			if err != nil {
				d.Skipped = append(d.Skipped, err)
				return nil
			}
			setDir := filepath.Dir(row.Dir)
			setAbs := filepath.Dir(filepath.Dir(abs))
			set := sets[setAbs]
			if set == nil {
				set = &Set{Dir: setDir, Machine: row.Run.Machine, From: row.Run.Date, To: row.Run.Date}
				sets[setAbs] = set
				d.Sets = append(d.Sets, set)
			}
			if row.Run.Date.Before(set.From) {
				set.From = row.Run.Date
			}
			if row.Run.Date.After(set.To) {
				set.To = row.Run.Date
			}
			row.Set = set
			sr := byName[row.Run.Scenario]
			if sr == nil {
				sr = &ScenarioReport{
					Name: row.Run.Scenario, Section: row.Run.Section, Kind: row.Run.Kind, Doc: row.Run.Doc, Python: row.Run.Python,
					Claim: claimOf(row.Run.Scenario),
				}
				byName[sr.Name] = sr
				d.Scenarios = append(d.Scenarios, sr)
			}
			sr.Rows = append(sr.Rows, row)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if len(d.Scenarios) == 0 {
		if len(d.Skipped) > 0 {
			return nil, fmt.Errorf("no readable recording under %s: %w", strings.Join(dirs, ", "), errors.Join(d.Skipped...))
		}
		return nil, fmt.Errorf("%w (run-N.json files) under %s; record some with `conclab profile`", ErrNoRecordings, strings.Join(dirs, ", "))
	}
	d.label()
	d.markEarlier()
	for _, sr := range d.Scenarios {
		sr.finish(d)
	}
	slices.SortFunc(d.Scenarios, func(a, b *ScenarioReport) int {
		return cmp.Or(cmp.Compare(sectionOrder(a.Section), sectionOrder(b.Section)), strings.Compare(a.Name, b.Name))
	})
	return d, nil
}

// loadRow reads one run file and the profiles it names.
func loadRow(runPath string) (*Row, error) {
	run, err := ReadRun(runPath)
	if err != nil {
		return nil, err
	}
	row := &Row{Run: run, Dir: filepath.Dir(runPath), ChildParallelism: run.ChildParallelism()}
	p, err := pprofkit.ReadProfile(filepath.Join(row.Dir, run.Files.CPU))
	if err != nil {
		return nil, err
	}
	if row.CPU, err = pprofkit.AnalyzeCPU(p, 5); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(row.Dir, run.Files.CPU), err)
	}
	for _, w := range []struct {
		file string
		dst  **pprofkit.WaitStats
	}{{run.Files.Mutex, &row.Mutex}, {run.Files.Block, &row.Block}} {
		if w.file == "" {
			continue
		}
		path := filepath.Join(row.Dir, w.file)
		p, err := pprofkit.ReadProfile(path)
		if err != nil {
			return nil, err
		}
		st, err := pprofkit.AnalyzeWait(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		// Per round, like the wall time.
		rounds := max(run.ExtraRounds, 1)
		st.Seconds /= float64(rounds)
		st.Events = (st.Events + int64(rounds)/2) / int64(rounds)
		*w.dst = &st
	}
	if run.Files.Goroutine != "" {
		path := filepath.Join(row.Dir, run.Files.Goroutine)
		p, err := pprofkit.ReadProfile(path)
		if err != nil {
			return nil, err
		}
		if _, err := pprofkit.CountGoroutines(p); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	return row, nil
}

// label names the sets: by machine, and by directory too when merged.
func (d *Data) label() {
	slices.SortStableFunc(d.Sets, func(a, b *Set) int {
		return cmp.Or(cmp.Compare(a.Machine.Cores, b.Machine.Cores), a.From.Compare(b.From))
	})
	for _, s := range d.Sets {
		s.Label = s.Machine.Label()
		if len(d.Sets) > 1 {
			s.Label = fmt.Sprintf("%s (%s)", s.Label, filepath.ToSlash(s.Dir))
		}
	}
}

// markEarlier marks the rows of each set that are not from its newest
// session.
func (d *Data) markEarlier() {
	newest := map[*Set]*Run{}
	for _, sr := range d.Scenarios {
		for _, r := range sr.Rows {
			if n := newest[r.Set]; n == nil || r.Run.Date.After(n.Date) {
				newest[r.Set] = r.Run
			}
		}
	}
	for _, sr := range d.Scenarios {
		for _, r := range sr.Rows {
			r.Earlier = r.Run.Session != newest[r.Set].Session
		}
	}
}

// Note says what a reader must know before trusting r's figures: that it
// comes from an earlier session, or that other programs kept the machine
// busy while it was recorded. Empty when there is nothing to say.
func (r *Row) Note() string {
	var notes []string
	if r.Earlier {
		notes = append(notes, "from an earlier run ("+r.Run.Date.Format("2006-01-02 15:04")+")")
	}
	if o := r.Run.OtherCores; o != nil && *o >= busyThreshold {
		notes = append(notes, fmt.Sprintf("busy machine: other programs kept %.2f cores busy", *o))
	}
	return strings.Join(notes, "; ")
}

// finish orders the rows and computes the speed-ups and verdicts.
func (sr *ScenarioReport) finish(d *Data) {
	setIndex := func(s *Set) int { return slices.Index(d.Sets, s) }
	slices.SortFunc(sr.Rows, func(a, b *Row) int {
		return cmp.Or(cmp.Compare(setIndex(a.Set), setIndex(b.Set)), cmp.Compare(a.Run.Procs, b.Run.Procs))
	})
	for _, r := range sr.Rows {
		round := r.Run.RoundSeconds()
		for _, b := range sr.Rows {
			if b.Set == r.Set && b.Run.Procs == 1 && b.Run.Session == r.Run.Session {
				r.SpeedupN1 = b.Run.RoundSeconds() / round
				r.Efficiency = r.SpeedupN1 / float64(r.Run.Procs)
			}
		}
		if p := r.Run.CriticalPathSeconds; p > 0 {
			r.OverPath = round / p
			r.Efficiency = 0
		}
		if r.Run.SerialSeconds > 0 {
			r.SpeedupSerial = r.Run.SerialSeconds / round
		}
		r.Verdict, r.Evidence = judge(r)
	}
	sr.Chart = "speedup-" + sr.Name + ".svg"
	sr.chart = speedupChart(sr, d.Sets)
}

// link returns the path of file in r's directory relative to the report.
func (d *Data) link(r *Row, file string) string {
	p := filepath.Join(r.Dir, file)
	if rel, err := filepath.Rel(d.Out, p); err == nil {
		p = rel
	}
	return filepath.ToSlash(p)
}

// pprofCommand is the command that opens r's CPU profile interactively.
func pprofCommand(r *Row) string {
	return "go tool pprof -http=:0 " + filepath.ToSlash(filepath.Join(r.Dir, r.Run.Files.CPU))
}

// sectionOrder places a section name in the article's order; unknown
// sections go last.
func sectionOrder(name string) int {
	for s := scenarios.Threading; s <= scenarios.Mistakes; s++ {
		if s.String() == name {
			return int(s)
		}
	}
	return int(scenarios.Mistakes) + 1
}
