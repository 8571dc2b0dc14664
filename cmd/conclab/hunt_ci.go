package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/conclab/conclab/internal/gotool"
	"github.com/conclab/conclab/internal/hunt"
)

// huntCI holds hunt's outputs for CI: the SARIF file, the Actions
// annotations and the baseline.
type huntCI struct {
	sarif, baselinePath string
	baseline            *hunt.Baseline
}

func ciFlags(fs *flag.FlagSet) *huntCI {
	c := &huntCI{}
	fs.StringVar(&c.sarif, "sarif", "", "also write the findings as SARIF 2.1.0 (GitHub code scanning) to this `file`")
	fs.StringVar(&c.baselinePath, "baseline", "", "fail only on findings not in this earlier -json output (`OLD.json`); report all")
	return c
}

// load reads the baseline and checks that the SARIF file can be written,
// before any run: bad input is found in a second, not after the hunt.
func (c *huntCI) load() error {
	if c.baselinePath != "" {
		b, err := hunt.ReadBaseline(c.baselinePath)
		if err != nil {
			return usageErrorf("-baseline: %v", err)
		}
		c.baseline = b
	}
	if c.sarif != "" {
		if st, err := os.Stat(filepath.Dir(c.sarif)); err != nil || !st.IsDir() {
			return usageErrorf("-sarif %s: no such directory %s", c.sarif, filepath.Dir(c.sarif))
		}
	}
	return nil
}

// finish writes the SARIF file, prints the annotations under GitHub Actions
// (on stderr when stdout is -json) and the baseline's line.
func (c *huntCI) finish(sum *hunt.Summary, asJSON bool, stdout, stderr io.Writer) error {
	if c.sarif == "" && c.baseline == nil && os.Getenv("GITHUB_ACTIONS") != "true" {
		return nil
	}
	opts := sarifOptions()
	opts.Baseline = c.baseline
	if c.sarif != "" {
		if err := sum.WriteSARIF(c.sarif, opts); err != nil {
			return fmt.Errorf("-sarif: %v", err)
		}
	}
	if os.Getenv("GITHUB_ACTIONS") == "true" {
		w := stdout
		if asJSON {
			w = stderr
		}
		if err := sum.WriteAnnotations(w, opts); err != nil {
			return err
		}
	}
	if c.baseline != nil && !asJSON {
		return c.baseline.WriteText(stdout, sum)
	}
	return nil
}

// sarifOptions finds the module of the current directory and the root the
// SARIF paths are relative to: the git work tree's top, which code scanning
// resolves them against, else the module's directory, else the current
// directory.
func sarifOptions() hunt.SARIFOptions {
	var opts hunt.SARIFOptions
	cwd, _ := os.Getwd()
	if gomod, err := gotool.Env(context.Background(), cwd, "GOMOD"); err == nil {
		if gomod != "" && gomod != os.DevNull {
			opts.ModuleDir = filepath.Dir(gomod)
			if data, err := os.ReadFile(gomod); err == nil {
				opts.ModulePath = modfile.ModulePath(data)
			}
		}
	}
	opts.Root = opts.ModuleDir
	out, _, err := gotool.Output(gotool.Command(context.Background(), cwd, "git", "rev-parse", "--show-toplevel"))
	if top := strings.TrimSpace(string(out)); err == nil && top != "" {
		opts.Root = top
		// git prints the top with symlinks resolved; the frames carry the
		// module's directory as the go command saw it: the same top, seen
		// from there.
		if opts.ModuleDir != "" {
			realMod, err := filepath.EvalSymlinks(opts.ModuleDir)
			if rel, rerr := filepath.Rel(top, realMod); err == nil && rerr == nil && !strings.HasPrefix(rel, "..") {
				up := ""
				if rel != "." {
					up = strings.Repeat("../", strings.Count(rel, string(filepath.Separator))+1)
				}
				opts.Root = filepath.Clean(filepath.Join(opts.ModuleDir, up))
			}
		}
	}
	if opts.Root == "" {
		opts.Root = cwd
	}
	return opts
}
