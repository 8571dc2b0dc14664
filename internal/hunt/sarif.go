package hunt

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/conclab/conclab/internal/pprofkit"
)

// helpURI is where the rules' help continues.
const helpURI = "https://github.com/conclab/conclab/blob/main/docs/detectors.md#conclab-hunt"

// SARIFOptions say where a SARIF log's paths are relative to.
type SARIFOptions struct {
	// Root is the directory the result's paths are relative to: the
	// repository's top (code scanning resolves paths against it), else the
	// module's root.
	Root string
	// ModuleDir and ModulePath locate a package's directory from its import
	// path, for a finding without a frame (its test function is then the
	// location).
	ModuleDir, ModulePath string
	// Baseline, when not nil, sets each result's baselineState: "unchanged"
	// for a known finding, "new" for the others.
	Baseline *Baseline
	// Version is the tool's version, if known.
	Version string
}

// SARIF builds the SARIF 2.1.0 log of the summary's findings: one rule per
// detector (its [Rule], in the order of [Detectors]), one result per finding located at its first user frame, the other
// witnesses as related locations and as a code flow of one thread flow each,
// and a partial fingerprint (see [Finding.Fingerprint]) so that the same bug
// is one alert across runs.
func (s *Summary) SARIF(opts SARIFOptions) *sarif.Report {
	run := sarif.NewRunWithInformationURI("conclab", "https://github.com/conclab/conclab")
	if opts.Version != "" {
		run.Tool.Driver.WithVersion(opts.Version)
	}
	for _, d := range Detectors {
		r := d.Rule
		run.AddRule(string(d.Kind)).
			WithName(r.Name).
			WithDescription(r.Short).
			WithFullDescription(sarif.NewMultiformatMessageString().WithText(r.Short)).
			WithHelp(sarif.NewMultiformatMessageString().WithText(r.Help).WithMarkdown(r.Help + "\n\nSee [what each detector catches and cannot](" + helpURI + ").")).
			WithHelpURI(helpURI).
			WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarif.LevelError)).
			WithProperties(sarif.NewPropertyBag().WithTags([]string{"concurrency", string(d.Kind)}).Add("precision", "high").Add("problem.severity", "error"))
	}
	for _, t := range s.Tests {
		for _, f := range t.All() {
			run.AddResult(opts.result(run, f))
		}
	}
	report := sarif.NewReport()
	report.AddRun(run)
	return report
}

func (opts SARIFOptions) result(run *sarif.Run, f *Finding) *sarif.Result {
	text := fmt.Sprintf("%s: %s in %s %s (run %d, seed %d, GOMAXPROCS %d). Replay: %s",
		f.Label(), f.Message, f.Package, f.Test, f.Run, f.Seed, f.GOMAXPROCS, f.Replay)
	if f.Certainty != "" {
		text += fmt.Sprintf(". Certainty: %s: %s", f.Certainty, f.Why)
	}
	props := sarif.NewPropertyBag().
		Add("package", f.Package).Add("test", f.Test).Add("seed", f.Seed).
		Add("gomaxprocs", f.GOMAXPROCS).Add("run", f.Run).Add("replay", f.Replay)
	if f.Certainty != "" {
		props.Add("certainty", string(f.Certainty)).Add("certaintyReason", f.Why)
	}
	res := sarif.NewRuleResult(string(f.Kind)).
		WithRuleIndex(run.GetRuleIndex(string(f.Kind))).
		WithLevel(f.level()).
		WithMessage(sarif.NewTextMessage(text)).
		WithPartialFingerprints(map[string]string{FingerprintVersion: f.Fingerprint()}).
		WithProperties(props)
	if opts.Baseline != nil {
		state := "new"
		if opts.Baseline.Known(f) {
			state = "unchanged"
		}
		res.WithBaselineState(state)
	}
	first := true
	flow := sarif.NewCodeFlow().WithMessage(sarif.NewTextMessage(string(f.Kind) + ": the stacks of " + f.Test))
	for _, w := range f.Witnesses() {
		var locs []*sarif.ThreadFlowLocation
		var top *sarif.Location
		for _, fr := range w.Frames {
			loc := opts.location(fr.File, fr.Line, fr.Func)
			if loc == nil {
				continue
			}
			if top == nil {
				top = opts.location(fr.File, fr.Line, w.Header)
			}
			locs = append(locs, sarif.NewThreadFlowLocation().WithLocation(loc))
		}
		if top == nil {
			continue
		}
		if first {
			res.AddLocation(top)
			first = false
		} else {
			res.AddRelatedLocation(top.WithID(len(res.RelatedLocations)))
		}
		flow.AddThreadFlow(sarif.NewThreadFlow().WithMessage(sarif.NewTextMessage(w.Header)).WithLocations(locs))
	}
	if len(flow.ThreadFlows) > 0 {
		res.AddCodeFlow(flow)
	}
	if first { // no frame of the module: the test function is the place
		if file, line := opts.testFunc(f.Package, f.Test); file != "" {
			res.AddLocation(opts.location(file, line, f.Test))
		} else if loc := opts.location(filepath.Join(opts.ModuleDir, "go.mod"), 1, f.Package); loc != nil {
			res.AddLocation(loc)
		}
	}
	return res
}

// level is the SARIF level of f: a warning for a leak the test could
// release or a finding that depends on timing, an error for the others.
func (f *Finding) level() string {
	switch f.Certainty {
	case Releasable, TimingDependent:
		return sarif.LevelWarning
	}
	return sarif.LevelError
}

// location is file:line relative to Root, or nil for a file outside it.
func (opts SARIFOptions) location(file string, line int, msg string) *sarif.Location {
	rel, ok := opts.rel(file)
	if !ok {
		return nil
	}
	loc := sarif.NewLocationWithPhysicalLocation(sarif.NewPhysicalLocation().
		WithArtifactLocation(sarif.NewSimpleArtifactLocation(rel).WithURIBaseID("%SRCROOT%")).
		WithRegion(sarif.NewRegion().WithStartLine(max(line, 1))))
	if msg != "" {
		loc.WithMessage(sarif.NewTextMessage(msg))
	}
	return loc
}

// rel is file relative to Root, with forward slashes, if it lies inside it.
func (opts SARIFOptions) rel(file string) (string, bool) {
	if !filepath.IsAbs(file) || opts.Root == "" {
		return "", false
	}
	r, err := filepath.Rel(opts.Root, file)
	if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return "", false
	}
	return filepath.ToSlash(r), true
}

// testFunc finds "func Test(" among the _test.go files of pkg's directory.
func (opts SARIFOptions) testFunc(pkg, test string) (string, int) {
	if opts.ModuleDir == "" || (pkg != opts.ModulePath && !strings.HasPrefix(pkg, opts.ModulePath+"/")) {
		return "", 0
	}
	dir := filepath.Join(opts.ModuleDir, filepath.FromSlash(strings.TrimPrefix(strings.TrimPrefix(pkg, opts.ModulePath), "/")))
	files, _ := filepath.Glob(filepath.Join(dir, "*_test.go"))
	decl := regexp.MustCompile(`^func ` + regexp.QuoteMeta(test) + `\(`)
	for _, file := range files {
		if line := findLine(file, decl); line > 0 {
			return file, line
		}
	}
	return "", 0
}

func findLine(file string, re *regexp.Regexp) int {
	f, err := os.Open(file)
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if re.Match(sc.Bytes()) {
			return n
		}
	}
	return 0
}

// WriteSARIF writes the SARIF log to path atomically ([pprofkit.WriteBytes]).
func (s *Summary) WriteSARIF(path string, opts SARIFOptions) error {
	data, err := MarshalSARIF(s.SARIF(opts))
	if err != nil {
		return err
	}
	return pprofkit.WriteBytes(path, data)
}

// MarshalSARIF encodes the log without the fields the library fills with
// SARIF's defaults (an index, id, offset or execution order of -1, empty
// arrays and objects): the same meaning, and a file a reviewer can read.
// Every run keeps its results array, empty or not: code scanning reads an
// absent one as "not analysed".
func MarshalSARIF(r *sarif.Report) ([]byte, error) {
	var raw bytes.Buffer
	if err := r.Write(&raw); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(&raw)
	dec.UseNumber() // seeds are uint64: keep every digit
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	v = compact(v, "")
	for _, run := range v.(map[string]any)["runs"].([]any) {
		if m := run.(map[string]any); m["results"] == nil {
			m["results"] = []any{}
		}
	}
	out, err := json.MarshalIndent(v, "", "  ")
	return append(out, '\n'), err
}

// defaultMinusOne are the properties whose -1 means "not given" (rank: no
// rank).
var defaultMinusOne = map[string]bool{"index": true, "id": true, "executionOrder": true, "byteOffset": true, "charOffset": true, "ruleIndex": true, "rank": true}

func compact(v any, key string) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if c := compact(e, k); c == nil {
				delete(x, k)
			} else {
				x[k] = c
			}
		}
		if len(x) == 0 {
			return nil
		}
	case []any:
		kept := x[:0]
		for _, e := range x {
			if c := compact(e, ""); c != nil {
				kept = append(kept, c)
			}
		}
		if len(kept) == 0 {
			return nil
		}
		return kept
	case json.Number:
		if x == "-1" && defaultMinusOne[key] {
			return nil
		}
	}
	return v
}

// WriteAnnotations prints one GitHub Actions error annotation per finding
// (`::error file=…,line=…,title=…::message`), at the same place as its
// SARIF result, so that the line is marked in the pull request's diff; a
// finding the baseline knows is a warning. A finding without a place in the
// repository gets an annotation without one.
func (s *Summary) WriteAnnotations(w io.Writer, opts SARIFOptions) error {
	for _, t := range s.Tests {
		for _, f := range t.All() {
			res := opts.result(sarif.NewRun(), f)
			props := []string{}
			if len(res.Locations) > 0 {
				pl := res.Locations[0].PhysicalLocation
				props = append(props, "file="+escapeProperty(*pl.ArtifactLocation.URI), fmt.Sprintf("line=%d", *pl.Region.StartLine))
			}
			props = append(props, "title="+escapeProperty("conclab hunt: "+f.Label()+" in "+f.Test))
			level, msg := f.level(), f.Message+"\nreplay: "+f.Replay
			if f.Certainty != "" {
				msg += "\ncertainty: " + string(f.Certainty) + ": " + f.Why
			}
			if opts.Baseline.Known(f) {
				level, msg = "warning", "known (in the baseline "+opts.Baseline.Path+"): "+msg
			}
			if _, err := fmt.Fprintf(w, "::%s %s::%s\n", level, strings.Join(props, ","), escapeData(msg)); err != nil {
				return err
			}
		}
	}
	return nil
}

// escapeData and escapeProperty encode a workflow command's message and
// property values as the Actions runner decodes them.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
