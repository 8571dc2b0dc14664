package hunt

import (
	"context"
	"github.com/conclab/conclab/internal/gotool"
	"regexp"
	"slices"
	"testing"
	"time"
)

// BenchmarkTimeToFinding hunts every bug kernel of the corpus alone and
// reports the median and worst time from the first run to the finding
// (builds excluded: they are cached after the first iteration), and the
// median of the whole hunt including the go command's work.
func BenchmarkTimeToFinding(b *testing.B) {
	ks := loadCorpus(b, "testdata/corpus/corpus.json")
	for b.Loop() {
		var find, whole []float64
		for _, k := range ks {
			start := time.Now()
			sum, err := Hunt(context.Background(), Config{
				Dir: ".", Patterns: []string{"./testdata/corpus/" + k.Name + "/bug"},
				Run: regexp.MustCompile("^" + k.Test + "$"),
			})
			if err != nil {
				b.Fatal(err)
			}
			f := sum.Tests[0].Finding
			if f == nil {
				b.Errorf("%s: not found", k.Name)
				continue
			}
			find = append(find, f.Seconds)
			whole = append(whole, time.Since(start).Seconds())
		}
		b.ReportMetric(median(find), "median-s-to-finding")
		b.ReportMetric(slices.Max(find), "worst-s-to-finding")
		b.ReportMetric(median(whole), "median-s-whole-hunt")
	}
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// BenchmarkCleanPackage compares `hunt -runs 1` of a clean package (conclab's
// internal/profiling, 18 tests) with `go test -race` of it, both with a warm build
// cache: the ratio should stay at most 1.5.
func BenchmarkCleanPackage(b *testing.B) {
	const pkg = "github.com/conclab/conclab/internal/profiling"
	warm := gotool.Go(b.Context(), "", "test", "-race", "-count=1", pkg)
	if out, err := warm.CombinedOutput(); err != nil {
		b.Fatalf("go test -race %s: %v\n%s", pkg, err, out)
	}
	for b.Loop() {
		start := time.Now()
		if out, err := gotool.Go(b.Context(), "", "test", "-race", "-count=1", pkg).CombinedOutput(); err != nil {
			b.Fatalf("%v\n%s", err, out)
		}
		plain := time.Since(start)
		start = time.Now()
		sum, err := Hunt(context.Background(), Config{Dir: ".", Patterns: []string{pkg}, Runs: 1})
		if err != nil {
			b.Fatal(err)
		}
		hunted := time.Since(start)
		if !sum.Clean() {
			b.Fatalf("%s is not clean: %d findings", pkg, sum.Findings)
		}
		b.ReportMetric(plain.Seconds(), "go-test-race-s")
		b.ReportMetric(hunted.Seconds(), "hunt-runs1-s")
		b.ReportMetric(hunted.Seconds()/plain.Seconds(), "ratio")
	}
}
