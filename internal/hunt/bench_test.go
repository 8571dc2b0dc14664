package hunt

import (
	"context"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/conclab/conclab/internal/gotool"
)

// BenchmarkTimeToFinding hunts every bug kernel of the corpus alone, with
// the default budget, and reports the median and worst time from the first
// run to the first finding (builds excluded: they are cached after the
// first iteration), and the median of the whole hunt including the go
// command's work. Each hunt stops at its first finding (a race, a leak or
// a failure would otherwise hunt on for the other kinds to the end of the
// budget).
func BenchmarkTimeToFinding(b *testing.B) {
	ks := loadCorpus(b, "testdata/corpus/corpus.json")
	for b.Loop() {
		var find, whole []float64
		for _, k := range ks {
			start := time.Now()
			f, err := firstFinding(b.Context(), Config{
				Dir: ".", Patterns: []string{"./testdata/corpus/" + k.Name + "/bug"},
				Run: regexp.MustCompile("^" + k.Test + "$"),
			})
			if err != nil {
				b.Fatal(err)
			}
			if f == nil {
				b.Errorf("%s: not found", k.Name)
				continue
			}
			find = append(find, f.Seconds)
			whole = append(whole, time.Since(start).Seconds())
			b.Logf("%s: %s at run %d, %.2fs", k.Name, f.Kind, f.Run, f.Seconds)
		}
		b.ReportMetric(median(find), "median-s-to-finding")
		b.ReportMetric(slices.Max(find), "worst-s-to-finding")
		b.ReportMetric(median(whole), "median-s-whole-hunt")
	}
}

// firstFinding hunts cfg until its first finding, and returns it (nil if
// the budget ran out first).
func firstFinding(ctx context.Context, cfg Config) (*Finding, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var first *Finding
	cfg.Found = func(f Finding) {
		if first == nil {
			first = &f
			cancel()
		}
	}
	if _, err := Hunt(ctx, cfg); err != nil {
		return nil, err
	}
	return first, nil
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// BenchmarkCleanPackage compares hunt with its default budget on a clean
// package none of whose tests is concurrent (conclab's internal/verdict, 12
// tests: each is run once, or twice when it locks a mutex alone on its
// goroutine) with `go test -race` of it, both with a warm
// build cache: the ratio should stay at most 1.5.
func BenchmarkCleanPackage(b *testing.B) {
	const pkg = "github.com/conclab/conclab/internal/verdict"
	warm := gotool.Go(b.Context(), "", "test", "-race", "-count=1", pkg)
	if out, err := warm.CombinedOutput(); err != nil {
		b.Fatalf("go test -race %s: %v\n%s", pkg, err, out)
	}
	if _, err := Hunt(context.Background(), Config{Dir: ".", Patterns: []string{pkg}}); err != nil {
		b.Fatal(err) // warms the instrumented build
	}
	for b.Loop() {
		start := time.Now()
		if out, err := gotool.Go(b.Context(), "", "test", "-race", "-count=1", pkg).CombinedOutput(); err != nil {
			b.Fatalf("%v\n%s", err, out)
		}
		plain := time.Since(start)
		start = time.Now()
		sum, err := Hunt(context.Background(), Config{Dir: ".", Patterns: []string{pkg}})
		if err != nil {
			b.Fatal(err)
		}
		hunted := time.Since(start)
		if !sum.Clean() {
			b.Fatalf("%s is not clean: %d findings", pkg, sum.Findings)
		}
		if sum.Runs > 2*len(sum.Tests) {
			b.Errorf("%d runs of %d tests: some test counted as concurrent", sum.Runs, len(sum.Tests))
		}
		b.ReportMetric(plain.Seconds(), "go-test-race-s")
		b.ReportMetric(hunted.Seconds(), "hunt-s")
		b.ReportMetric(hunted.Seconds()/plain.Seconds(), "ratio")
	}
}
