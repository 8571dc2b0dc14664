// Command calibrate measures conclab scale's verdicts on a generated corpus
// with known answers: every cause of [causes] at every level of [levels],
// each with its work drawn from a seed. It runs `make scale-calibrate`:
//
//	go run ./internal/scale/testdata/calibrate -seeds 1,2,3 -cpu 1,2
//
// and prints, per seed, a confusion matrix (the cause built in × the
// verdict) for the dominant levels and one for the others, with the share
// right. Seed 1 is the corpus the verdict's constants were tuned on; the
// others are held out. With -from DIR it re-reads the results of an earlier run
// instead of measuring, their profiles analysed again by this code.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/conclab/conclab/internal/scale"
)

func main() {
	seeds := flag.String("seeds", "1,2", "corpus seeds: 1 is the tuned split, any other a held-out one")
	cpu := flag.String("cpu", "1,2", `GOMAXPROCS values, as conclab scale -cpu; "default" for conclab scale's default`)
	benchtime := flag.String("benchtime", "1s", "-benchtime of each child (conclab scale's default)")
	out := flag.String("out", "", "keep the corpus and the results here (default: a temporary directory)")
	from := flag.String("from", "", "re-read the results under this -out of an earlier run instead of measuring, their profiles analysed again by this code")
	runs := flag.Int("runs", 1, "measure each seed this many times and report the verdicts that changed")
	flag.Parse()
	if err := run(*seeds, *cpu, *benchtime, *out, *from, *runs); err != nil {
		fmt.Fprintln(os.Stderr, "calibrate:", err)
		os.Exit(1)
	}
}

func run(seedList, cpuList, benchtime, out, from string, runs int) error {
	procs, err := parseProcs(cpuList)
	if err != nil {
		return err
	}
	if cpuList == "default" {
		cpuList = fmt.Sprintf("%v (the default)", procs)
	}
	if from != "" {
		out = from
	} else if out == "" {
		dir, err := os.MkdirTemp("", "conclab-calibrate-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		out = dir
	}
	for _, s := range strings.Split(seedList, ",") {
		seed, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return fmt.Errorf("-seeds %q: %v", seedList, err)
		}
		src, expect := generate(seed)
		split := "tuned"
		if seed != 1 {
			split = "held-out"
		}
		verdicts := map[string][]scale.Verdict{}
		for i := range runs {
			dir := filepath.Join(out, fmt.Sprintf("seed%d", seed), fmt.Sprintf("run%d", i+1))
			var res []*scale.Results
			if from != "" {
				if res, err = scale.ReadResults(dir); err != nil {
					return err
				}
				for _, r := range res {
					if err := r.Reanalyze(); err != nil {
						return err
					}
				}
			} else {
				r, err := measure(dir, src, procs, benchtime)
				if err != nil {
					return err
				}
				res = []*scale.Results{r}
			}
			for _, br := range scale.NewReport(dir, res).Benchmarks {
				verdicts[br.Name] = append(verdicts[br.Name], br.Series[0].Verdict)
			}
		}
		report(fmt.Sprintf("seed %d (%s), -cpu %s, -benchtime %s, %d run(s)", seed, split, cpuList, benchtime, runs), expect, verdicts)
	}
	return nil
}

// parseProcs reads -cpu: a list of GOMAXPROCS values, or "default" for
// conclab scale's default on this machine.
func parseProcs(list string) ([]int, error) {
	if list == "default" {
		return scale.DefaultProcs(runtime.NumCPU()), nil
	}
	var procs []int
	for _, s := range strings.Split(list, ",") {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-cpu %q: %q is not a GOMAXPROCS value", list, s)
		}
		procs = append(procs, n)
	}
	return procs, nil
}

// measure writes the corpus into dir/module and runs conclab scale on it.
func measure(dir, src string, procs []int, benchtime string) (*scale.Results, error) {
	mod := filepath.Join(dir, "module")
	if err := os.MkdirAll(mod, 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module example.com/corpus\n\ngo 1.25\n"), 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(mod, "corpus_test.go"), []byte(src), 0o644); err != nil {
		return nil, err
	}
	res, err := scale.Run(context.Background(), scale.Options{
		Dir: mod, Packages: []string{"."}, Bench: ".", Procs: procs, Count: 1, Benchtime: benchtime,
		Out: filepath.Join(dir, "results"), Progress: os.Stderr,
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// report prints the confusion matrices and every verdict that is wrong or
// changed between runs.
func report(title string, expect map[string]truth, verdicts map[string][]scale.Verdict) {
	fmt.Printf("\n## %s\n", title)
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range verdicts {
			if !yield(n) {
				return
			}
		}
	})
	for _, dominant := range []bool{true, false} {
		cols := []string{}
		counts := map[[2]string]int{}
		var rows []string
		right, total, misnamed := 0, 0, 0
		for _, name := range names {
			t, ok := expect[name]
			if !ok || t.level.dominant != dominant {
				continue
			}
			row := t.cause + " → " + t.expect
			if !slices.Contains(rows, row) {
				rows = append(rows, row)
			}
			for _, v := range verdicts[name] {
				got := string(v.Category)
				if !slices.Contains(cols, got) {
					cols = append(cols, got)
				}
				counts[[2]string{row, got}]++
				total++
				switch {
				case got == t.expect, !dominant && got == "scales":
					right++
				case !dominant && got != "inconclusive":
					misnamed++
				}
			}
		}
		slices.Sort(cols)
		kind := "dominant"
		if !dominant {
			kind = "medium and mild (right: the cause or scales)"
		}
		fmt.Printf("\n%s: %d of %d right (%.0f %%)", kind, right, total, 100*float64(right)/float64(max(total, 1)))
		if !dominant {
			fmt.Printf(", %d misnamed as another cause", misnamed)
		}
		fmt.Println()
		fmt.Println()
		tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintf(tw, "cause → expected\t%s\n", strings.Join(cols, "\t"))
		for _, row := range rows {
			fmt.Fprint(tw, row)
			for _, c := range cols {
				if n := counts[[2]string{row, c}]; n > 0 {
					fmt.Fprintf(tw, "\t%d", n)
				} else {
					fmt.Fprint(tw, "\t.")
				}
			}
			fmt.Fprintln(tw)
		}
		tw.Flush()
	}
	fmt.Println("\nverdicts:")
	for _, name := range names {
		t := expect[name]
		for i, v := range verdicts[name] {
			mark := " "
			if string(v.Category) != t.expect && !(!t.level.dominant && v.Category == scale.Scales) {
				mark = "✗"
			}
			fmt.Printf("%s %-28s run %d  %-12s %s\n", mark, name, i+1, v.Category, v.Text)
			if v.Account != nil {
				fmt.Printf("    %s\n", v.Account)
			}
		}
	}
}
