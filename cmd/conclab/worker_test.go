package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestWorkerCommand(t *testing.T) {
	saved := workerStdin
	t.Cleanup(func() { workerStdin = saved })
	for _, tc := range []struct {
		name, stdin string
		code        int
		stderr      string
	}{
		{"empty stdin ends cleanly", "", 0, ""},
		{"garbage is a protocol error", "GET / HTTP/1.1\r\n", 1, "conclab worker: reading a request: malformed frame: bad magic 0x47, want 0xcc\n"},
		{"truncated frame", "\xcc\x01\x01\x00\x00\x00\x00\x18abc", 1, "conclab worker: reading a request: malformed frame: truncated after 11 of 32 bytes: unexpected EOF\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			workerStdin = strings.NewReader(tc.stdin)
			var out, errOut bytes.Buffer
			code := Main(t.Context(), []string{"worker"}, &out, &errOut)
			assert.Equal(t, tc.code, code)
			assert.Equal(t, tc.stderr, errOut.String())
			assert.Empty(t, out.String(), "nothing answered")
		})
	}
	code, _, stderr := conclab(t, "worker", "extra")
	assert.Equal(t, 2, code)
	assert.Equal(t, "conclab worker: unexpected argument \"extra\"\n", stderr)
}

func TestRunProcessPoolAndExecutor(t *testing.T) {
	for _, args := range [][]string{
		{"run", "process-pool", "-workers", "2", "-items", "4", "-work", "1000"},
		{"run", "executor", "-workers", "3", "-items", "3", "-work", "10"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, stdout, stderr := conclab(t, args...)
			assert.Equal(t, 0, code, stderr)
			assert.Contains(t, stdout, "\ninvariant: ok\n")
		})
	}
}
