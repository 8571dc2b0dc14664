// Package sarifschema checks a SARIF log against the official SARIF 2.1.0
// JSON schema, offline, for tests: the schema is the copy that
// github.com/owenrumney/go-sarif embeds, read from that module's source in
// the module cache (it does not export it), and the check is on the bytes
// of the file, not on a Go value read back from it.
package sarifschema

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/conclab/conclab/internal/gotool"
	"github.com/xeipuuv/gojsonschema"
)

// Title is the title of the schema Errors checks against.
const Title = "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"

// Errors returns what the SARIF 2.1.0 schema finds wrong with data, none
// for a valid log; the error is for a schema that cannot be found or read.
func Errors(data []byte) ([]string, error) {
	schema, err := Schema()
	if err != nil {
		return nil, err
	}
	res, err := gojsonschema.Validate(gojsonschema.NewStringLoader(schema), gojsonschema.NewBytesLoader(data))
	if err != nil {
		return nil, err
	}
	var errs []string
	for _, e := range res.Errors() {
		errs = append(errs, e.String())
	}
	return errs, nil
}

// Schema returns the text of the SARIF 2.1.0 schema.
func Schema() (string, error) {
	var dir string
	if _, file, _, ok := runtime.Caller(0); ok {
		dir = filepath.Dir(file) // conclab's module, wherever the test runs
	}
	out, _, err := gotool.Output(gotool.Go(context.Background(), dir, "list", "-m", "-f", "{{.Dir}}", "github.com/owenrumney/go-sarif/v3"))
	if err != nil {
		return "", fmt.Errorf("go list the SARIF library: %w", err)
	}
	src, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "pkg", "report", "v210", "sarif", "schema.go"))
	if err != nil {
		return "", err
	}
	_, schema, ok := strings.Cut(string(src), "const schema = `")
	schema, _, _ = strings.Cut(schema, "`")
	if !ok || !strings.Contains(schema, `"title": "`+Title+`"`) {
		return "", errors.New("go-sarif's schema.go holds no SARIF 2.1.0 schema")
	}
	return schema, nil
}
