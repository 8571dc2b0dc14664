package gate

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/conclab/conclab/internal/gotool"
)

// Binary is a test binary built with `go test -c` and how to run it.
type Binary struct {
	// Path is the binary.
	Path string
	// Dir is the directory it runs in (its package's, for testdata).
	Dir string
	// Args are added to every run: test flags of its own, such as
	// -gate.scale=1.1.
	Args []string
}

// Exec is a [Runner] that runs test binaries, one benchmark per run.
type Exec struct {
	Old, New Binary
	// Benchtime is -test.benchtime: "50ms", "100x".
	Benchtime string
	// Reps is -test.count: a measurement is the fastest of Reps runs back
	// to back in one process (1 if zero). A busy machine only ever adds
	// time, so the fastest of a few short runs varies less than one long
	// run; which side it is still does not change the null distribution.
	Reps int
	// Record, when set, gets every result line of each side.
	Record map[Side]io.Writer

	mu sync.Mutex
}

func (e *Exec) binary(side Side) Binary {
	if side == Old {
		return e.Old
	}
	return e.New
}

// List runs every benchmark that bench matches once (-test.benchtime=1x)
// on one side and returns their names, in order, and the configuration
// lines printed before them (goos:, pkg:, cpu:).
func (e *Exec) List(ctx context.Context, side Side, bench string) (names []string, header string, err error) {
	out, err := e.exec(ctx, side, bench, "1x", "", 1)
	if err != nil {
		return nil, "", err
	}
	rs, err := ParseBench(bytes.NewReader(out))
	if err != nil {
		return nil, "", err
	}
	seen := map[string]bool{}
	for _, r := range rs {
		if !seen[r.Name] {
			seen[r.Name] = true
			names = append(names, r.Name)
		}
	}
	var h strings.Builder
	for line := range strings.Lines(string(out)) {
		if strings.HasPrefix(line, "Benchmark") {
			break
		}
		if k, _, ok := strings.Cut(line, ":"); ok && !strings.Contains(k, " ") {
			h.WriteString(line)
		}
	}
	return names, h.String(), nil
}

// Run implements [Runner].
func (e *Exec) Run(ctx context.Context, side Side, name string) (float64, error) {
	return e.measure(ctx, side, name, "")
}

// Profile runs name once more on side with a CPU profile written to path.
func (e *Exec) Profile(ctx context.Context, side Side, name, benchtime, path string) error {
	_, err := e.exec(ctx, side, gotool.BenchPattern(name), benchtime, path, 1)
	return err
}

func (e *Exec) measure(ctx context.Context, side Side, name, profile string) (float64, error) {
	out, err := e.exec(ctx, side, gotool.BenchPattern(name), e.Benchtime, profile, max(e.Reps, 1))
	if err != nil {
		return 0, err
	}
	rs, err := ParseBench(bytes.NewReader(out))
	if err != nil {
		return 0, err
	}
	best := 0.0
	for _, r := range rs {
		if r.Name != name {
			continue
		}
		if w := e.Record[side]; w != nil {
			e.mu.Lock()
			fmt.Fprintln(w, r.Line)
			e.mu.Unlock()
		}
		if best == 0 || r.NsPerOp < best {
			best = r.NsPerOp
		}
	}
	if best == 0 {
		return 0, fmt.Errorf("no result for %s in its output", name)
	}
	return best, nil
}

func (e *Exec) exec(ctx context.Context, side Side, bench, benchtime, profile string, count int) ([]byte, error) {
	b := e.binary(side)
	args := []string{"-test.run=^$", "-test.bench=" + bench, "-test.benchtime=" + benchtime, "-test.count=" + strconv.Itoa(count), "-test.short"}
	if profile != "" {
		args = append(args, "-test.cpuprofile="+profile)
	}
	args = append(args, b.Args...)
	// The same environment for both sides: gotool.Command adds no PWD=Dir,
	// and the two checkouts' paths differ in length.
	stdout, stderr, err := gotool.Output(gotool.Command(ctx, b.Dir, b.Path, args...))
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %s", b.Path, err, gotool.LastLine(string(stdout)+string(stderr)))
	}
	return stdout, nil
}
