package scale

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/conclab/conclab/internal/gotool"
)

// runPoint runs one benchmark at GOMAXPROCS n in its own child, then
// analyses its profiles. A failure of the benchmark is the point's Err; only
// a cancelled ctx or an unwritable output is an error.
func (m *measurer) runPoint(ctx context.Context, j *job, dir string, n int) (*Point, error) {
	p := &Point{
		Procs:     n,
		CPUFile:   fmt.Sprintf("cpu-%d.pb.gz", n),
		MutexFile: fmt.Sprintf("mutex-%d.pb.gz", n),
		BlockFile: fmt.Sprintf("block-%d.pb.gz", n),
	}
	for _, f := range []string{p.CPUFile, p.MutexFile, p.BlockFile, fmt.Sprintf("cpu-%d.svg", n)} {
		if err := os.Remove(filepath.Join(dir, f)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	args := []string{
		"-test.run=^$", "-test.bench=" + gotool.BenchPattern(j.bench.Name), fmt.Sprintf("-test.cpu=%d", n),
		fmt.Sprintf("-test.count=%d", m.opts.Count), "-test.benchmem",
		"-test.cpuprofile=" + filepath.Join(abs, p.CPUFile),
		"-test.mutexprofile=" + filepath.Join(abs, p.MutexFile), fmt.Sprintf("-test.mutexprofilefraction=%d", MutexProfileFraction),
		"-test.blockprofile=" + filepath.Join(abs, p.BlockFile), fmt.Sprintf("-test.blockprofilerate=%d", BlockProfileRate),
	}
	if m.opts.Benchtime != "" {
		args = append(args, "-test.benchtime="+m.opts.Benchtime)
	}
	if m.opts.Timeout > 0 {
		args = append(args, "-test.timeout="+m.opts.Timeout.String())
	}
	start := time.Now()
	out, stderr, runErr := m.child(ctx, j.bin, j.pkgDir, args...)
	p.Seconds = time.Since(start).Seconds()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	lines, _ := parseOutput(out, n)
	for _, l := range lines {
		if l.Name != j.bench.Name {
			continue
		}
		p.NsPerOp = append(p.NsPerOp, l.NsPerOp)
		p.BytesPerOp += l.BytesPerOp / float64(m.opts.Count)
		p.AllocsPerOp += l.AllocsPerOp / float64(m.opts.Count)
	}
	switch {
	case runErr != nil:
		p.Err = failure(out, stderr, runErr)
	case len(p.NsPerOp) == 0:
		p.Err = "printed no result for " + j.bench.Name
	}
	if p.Err != "" {
		p.NsPerOp, p.BytesPerOp, p.AllocsPerOp = nil, 0, 0
		return p, nil
	}
	if err := analyze(dir, p, j.bench.Name, true); err != nil {
		p.Err = "profiles: " + err.Error()
	}
	return p, nil
}

// child runs bin with args in dir and returns its stdout and stderr.
func (m *measurer) child(ctx context.Context, bin, dir string, args ...string) (stdout, stderr []byte, err error) {
	return gotool.Output(gotool.Command(ctx, dir, bin, args...))
}

// failure is the line that says why a child failed: its panic, its
// "--- FAIL" and the message under it, or its exit status.
func failure(stdout, stderr []byte, err error) string {
	all := string(stdout) + "\n" + string(stderr)
	lines := strings.Split(all, "\n")
	for i, l := range lines {
		l = strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(l, "panic:"):
			return l
		case strings.HasPrefix(l, "--- FAIL"):
			if i+1 < len(lines) && strings.TrimSpace(lines[i+1]) != "" {
				return l + ": " + strings.TrimSpace(lines[i+1])
			}
			return l
		}
	}
	return err.Error()
}
