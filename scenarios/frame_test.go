package scenarios

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFrameRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name string
		enc  []byte
		typ  frameType
	}{
		{"request", kernelRequest{ID: 1, Lo: 0, Hi: 1 << 40}.appendTo(nil), frameRequest},
		{"result", kernelResponse{ID: 7, Sum: 1<<64 - 1}.appendTo(nil), frameResult},
		{"error", kernelResponse{ID: 9, Err: "bad range"}.appendTo(nil), frameError},
		{"long error is cut to fit", kernelResponse{ID: 9, Err: strings.Repeat("x", 5000)}.appendTo(nil), frameError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, n, err := decodeFrame(tc.enc)
			require.NoError(t, err)
			assert.Equal(t, len(tc.enc), n, "the whole encoding is one frame")
			assert.Equal(t, tc.typ, f.typ)
			f2, _, err := readFrame(bytes.NewReader(tc.enc), nil)
			require.NoError(t, err)
			assert.Equal(t, f, f2, "readFrame and decodeFrame agree")
		})
	}
	q := kernelRequest{ID: 3, Lo: -5, Hi: 12345}
	f, _, err := decodeFrame(q.appendTo(nil))
	require.NoError(t, err)
	got, err := decodeRequest(f)
	require.NoError(t, err)
	assert.Equal(t, q, got)
	r := kernelResponse{ID: 4, Sum: 99}
	f, _, err = decodeFrame(r.appendTo(nil))
	require.NoError(t, err)
	gotR, err := decodeResponse(f)
	require.NoError(t, err)
	assert.Equal(t, r, gotR)
}

func TestMalformedFramesAreRejected(t *testing.T) {
	valid := kernelResponse{ID: 1, Sum: 2}.appendTo(nil)
	edit := func(i int, b byte) []byte {
		c := bytes.Clone(valid)
		c[i] = b
		return c
	}
	for _, tc := range []struct {
		name string
		in   []byte
		want string
	}{
		{"bad magic", []byte("HTTP/1.1 200 OK\r\n"), "malformed frame: bad magic 0x48, want 0xcc"},
		{"bad version", edit(1, 2), "malformed frame: unsupported version 2, want 1"},
		{"unknown type", edit(2, 9), "malformed frame: unknown frame type 9"},
		{"reserved byte", edit(3, 1), "malformed frame: reserved byte is 0x01, want 0"},
		{"oversize", []byte{frameMagic, frameVersion, 2, 0, 0x40, 0, 0, 0}, "malformed frame: payload of 1073741824 bytes exceeds the limit of 1024"},
		{"truncated header", valid[:5], "malformed frame: truncated after 5 of 8 bytes: unexpected EOF"},
		{"short garbage", []byte("hi"), "malformed frame: bad magic 0x68, want 0xcc"},
		{"one byte", []byte{frameMagic}, "malformed frame: truncated after 1 of 8 bytes: unexpected EOF"},
		{"truncated payload", valid[:10], "malformed frame: truncated after 10 of 24 bytes: unexpected EOF"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := decodeFrame(tc.in)
			assert.ErrorIs(t, err, ErrMalformedFrame)
			assert.EqualError(t, err, tc.want)
			_, _, err = readFrame(bytes.NewReader(tc.in), nil)
			assert.ErrorIs(t, err, ErrMalformedFrame)
			assert.EqualError(t, err, tc.want, "readFrame says the same")
		})
	}

	_, _, err := readFrame(bytes.NewReader(nil), nil)
	assert.Equal(t, io.EOF, err, "an empty stream ends cleanly")

	f, _, err := decodeFrame(appendFrame(nil, frameResult, []byte{1, 2, 3}))
	require.NoError(t, err)
	_, err = decodeResponse(f)
	assert.EqualError(t, err, "malformed frame: result payload of 3 bytes, want 16")
	_, err = decodeRequest(f)
	assert.EqualError(t, err, "malformed frame: got a result frame, want a request")
}

func TestServeWorker(t *testing.T) {
	var in bytes.Buffer
	in.Write(kernelRequest{ID: 1, Lo: 0, Hi: 1000}.appendTo(nil))
	in.Write(kernelRequest{ID: 2, Lo: 10, Hi: 5}.appendTo(nil))
	in.Write(kernelRequest{ID: 3, Lo: 1000, Hi: 1000}.appendTo(nil))
	var out bytes.Buffer
	require.NoError(t, ServeWorker(&in, &out), "a clean end of stdin ends the worker cleanly")

	var got []kernelResponse
	for out.Len() > 0 {
		f, n, err := decodeFrame(out.Bytes())
		require.NoError(t, err)
		r, err := decodeResponse(f)
		require.NoError(t, err)
		got = append(got, r)
		out.Next(n)
	}
	assert.Equal(t, []kernelResponse{
		{ID: 1, Sum: SquareNumbers(0, 1000)},
		{ID: 2, Err: "bad range [10, 5): lo > hi"},
		{ID: 3, Sum: 0},
	}, got, "one answer per request, in order")

	err := ServeWorker(strings.NewReader("garbage!"), io.Discard)
	assert.ErrorIs(t, err, ErrMalformedFrame)
	err = ServeWorker(bytes.NewReader(kernelResponse{ID: 1}.appendTo(nil)), io.Discard)
	assert.EqualError(t, err, "reading a request: malformed frame: got a result frame, want a request")
	err = ServeWorker(bytes.NewReader(kernelRequest{ID: 1}.appendTo(nil)[:20]), io.Discard)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	err = ServeWorker(bytes.NewReader(kernelRequest{ID: 1}.appendTo(nil)), failWriter{})
	assert.ErrorContains(t, err, "writing a response")
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

func TestParseWorkerFault(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want workerFault
		err  string
	}{
		{"", workerFault{}, ""},
		{"exit", workerFault{"exit", 0}, ""},
		{"hang:2", workerFault{"hang", 2}, ""},
		{"boom", workerFault{}, `CONCLAB_WORKER_FAULT="boom": unknown fault "boom"`},
		{"exit:x", workerFault{}, `CONCLAB_WORKER_FAULT="exit:x": "x" is not a count of requests`},
	} {
		t.Run("fault="+tc.in, func(t *testing.T) {
			got, err := parseWorkerFault(tc.in)
			if tc.err != "" {
				assert.EqualError(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

// FuzzDecodeFrame checks that decoding arbitrary bytes never panics, that
// decodeFrame and readFrame agree, and that every frame accepted re-encodes
// to the bytes it was decoded from.
func FuzzDecodeFrame(f *testing.F) {
	f.Add(kernelRequest{ID: 1, Lo: 2, Hi: 3}.appendTo(nil))
	f.Add(kernelResponse{ID: 1, Sum: 42}.appendTo(nil))
	f.Add(kernelResponse{ID: 1, Err: "bad range"}.appendTo(nil))
	f.Add([]byte{frameMagic, frameVersion, 2, 0, 0xff, 0xff, 0xff, 0xff})
	f.Add([]byte("not a frame"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		fr, n, err := decodeFrame(b)
		fr2, _, err2 := readFrame(bytes.NewReader(b), nil)
		if err != nil {
			if !errors.Is(err, ErrMalformedFrame) {
				t.Fatalf("decodeFrame error %v does not wrap ErrMalformedFrame", err)
			}
			if err2 == nil {
				t.Fatalf("readFrame accepted what decodeFrame rejected: %v", err)
			}
			return
		}
		if err2 != nil {
			t.Fatalf("readFrame rejected what decodeFrame accepted: %v", err2)
		}
		if fr.typ != fr2.typ || !bytes.Equal(fr.payload, fr2.payload) {
			t.Fatalf("decodeFrame %v and readFrame %v disagree", fr, fr2)
		}
		if re := appendFrame(nil, fr.typ, fr.payload); !bytes.Equal(re, b[:n]) {
			t.Fatalf("re-encoding gives %x, want %x", re, b[:n])
		}
		// Typed decoding never panics either, and round-trips.
		if q, err := decodeRequest(fr); err == nil {
			if re := q.appendTo(nil); !bytes.Equal(re, b[:n]) {
				t.Fatalf("request %+v re-encodes to %x, want %x", q, re, b[:n])
			}
		}
		if r, err := decodeResponse(fr); err == nil && fr.typ == frameResult {
			if re := r.appendTo(nil); !bytes.Equal(re, b[:n]) {
				t.Fatalf("result %+v re-encodes to %x, want %x", r, re, b[:n])
			}
		}
	})
}
