package scale

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/internal/gotool"
)

const output = `goos: linux
goarch: amd64
pkg: example.com/shop
cpu: Some CPU
BenchmarkCache/size-1024-4         	  500000	      2400 ns/op	      64 B/op	       2 allocs/op
BenchmarkCache/size-1024-4         	  500000	      2600 ns/op	      64 B/op	       2 allocs/op
BenchmarkHash-4                    	 1000000	      1000.5 ns/op	   12.0 MB/s
some output the benchmark printed
PASS
ok  	example.com/shop	3.1s
`

func TestParseOutput(t *testing.T) {
	lines, err := parseOutput([]byte(output), 4)
	require.NoError(t, err)
	require.Len(t, lines, 3)
	assert.Equal(t, gotool.BenchResult{Name: "BenchmarkCache/size-1024", Iters: 500000, NsPerOp: 2400, HasTime: true, BytesPerOp: 64, AllocsPerOp: 2, HasMem: true,
		Line: "BenchmarkCache/size-1024-4         \t  500000\t      2400 ns/op\t      64 B/op\t       2 allocs/op", LineNo: 5}, lines[0])
	assert.Equal(t, 2600.0, lines[1].NsPerOp)
	assert.Equal(t, "BenchmarkHash", lines[2].Name)
	assert.Equal(t, 1000.5, lines[2].NsPerOp)
	assert.False(t, lines[2].HasMem)

	// At n = 1 testing adds no suffix: "-1024" is part of the name.
	lines, err = parseOutput([]byte("BenchmarkCache/size-1024 \t 10 \t 5 ns/op\n"), 1)
	require.NoError(t, err)
	assert.Equal(t, "BenchmarkCache/size-1024", lines[0].Name)
}

func TestTopLevel(t *testing.T) {
	for in, want := range map[string]string{".": ".", "Cache/size": "Cache", "(A|B/C)/x": "(A|B/C)", `a\/b/c`: `a\/b`} {
		assert.Equal(t, want, topLevel(in), in)
	}
}
