package scenarios_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"runtime/pprof"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/conclab/conclab/scenarios"
)

// assertFiles checks that files holds file 0 to n-1 in order, each with
// its exact bytes.
func assertFiles(t *testing.T, n int, files [][]byte) {
	t.Helper()
	require.Len(t, files, n, "one entry per file")
	for i, f := range files {
		assert.Equal(t, scenarios.FileContent(i), f, "file %d in place %d with its exact bytes", i, i)
	}
}

func TestDownloadOverlapsWaits(t *testing.T) {
	const latency = 2 * time.Second
	for _, n := range []int{0, 1, 3, 100} {
		t.Run(fmt.Sprintf("download/memory/files=%d", n), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				start := time.Now()
				files, err := scenarios.Download(t.Context(), scenarios.MemoryFetcher(latency), n)
				require.NoError(t, err)
				want := latency
				if n == 0 {
					want = 0
				}
				assert.Equal(t, want, time.Since(start), "every wait overlaps: n files take one latency")
				assertFiles(t, n, files)
			})
		})
	}
}

func TestDownloadSerialAddsWaits(t *testing.T) {
	const latency = 2 * time.Second
	for _, n := range []int{0, 1, 3, 10} {
		t.Run(fmt.Sprintf("download-serial/memory/files=%d", n), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				start := time.Now()
				files, err := scenarios.DownloadSerial(t.Context(), scenarios.MemoryFetcher(latency), n)
				require.NoError(t, err)
				assert.Equal(t, time.Duration(n)*latency, time.Since(start), "one wait after another: n × latency")
				assertFiles(t, n, files)
			})
		})
	}
}

func TestDownloadScenarioInVirtualTime(t *testing.T) {
	s, err := scenarios.Lookup("download")
	require.NoError(t, err)
	for _, tc := range []struct {
		name     string
		run      scenarios.RunFunc
		items    int
		wantTime func(n int, l time.Duration) time.Duration
		wantPeak func(n int) int
	}{
		{"run", s.Run, 3, func(n int, l time.Duration) time.Duration { return l }, func(n int) int { return n }},
		{"run", s.Run, 50, func(n int, l time.Duration) time.Duration { return l }, func(n int) int { return n }},
		{"serial", s.Serial, 3, func(n int, l time.Duration) time.Duration { return time.Duration(n) * l }, func(int) int { return 1 }},
	} {
		t.Run(fmt.Sprintf("download/%s/items=%d", tc.name, tc.items), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				cfg := s.Defaults
				cfg.Backend = scenarios.BackendMemory
				cfg.Items = tc.items
				cfg.Latency = 2 * time.Second
				start := time.Now()
				res, err := tc.run(t.Context(), cfg)
				require.NoError(t, err)
				assert.Equal(t, tc.wantTime(tc.items, cfg.Latency), time.Since(start))
				assert.Equal(t, tc.wantPeak(tc.items), res.MaxConcurrent, "fetches in flight at once")
				assert.Equal(t, int64(tc.items*scenarios.FileSize), res.Total, "bytes downloaded")
				assert.NoError(t, s.Check(cfg, res))
			})
		})
	}
}

func TestDownloadFirstErrorCancelsTheRest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const n, latency = 5, 2 * time.Second
		errBroken := errors.New("connection reset")
		var cancelled atomic.Int32
		fetch := func(ctx context.Context, i int) ([]byte, error) {
			if i == 1 {
				scenarios.Sleep(ctx, latency/2)
				return nil, errBroken
			}
			err := scenarios.Sleep(ctx, latency)
			if errors.Is(err, context.Canceled) {
				cancelled.Add(1)
			}
			return scenarios.FileContent(i), err
		}
		start := time.Now()
		files, err := scenarios.Download(t.Context(), fetch, n)
		assert.ErrorIs(t, err, errBroken)
		assert.EqualError(t, err, "file 1: connection reset")
		assert.Nil(t, files, "no files after an error")
		assert.Equal(t, latency/2, time.Since(start), "the error is returned as soon as it happens")
		assert.Equal(t, int32(n-1), cancelled.Load(), "every other fetch saw its context cancelled")
	})
}

func TestDownloadStopsOnCancel(t *testing.T) {
	s, err := scenarios.Lookup("download")
	require.NoError(t, err)
	t.Run("download/memory/cancelled-before-start", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			var calls atomic.Int32
			start := time.Now()
			_, err := scenarios.Download(ctx, func(ctx context.Context, i int) ([]byte, error) {
				calls.Add(1)
				return nil, nil
			}, 10)
			assert.ErrorIs(t, err, context.Canceled)
			assert.Zero(t, time.Since(start))
			assert.Zero(t, calls.Load(), "no fetch started")
		})
	})
	t.Run("download/memory/cancelled-midway", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			cfg := s.Defaults
			cfg.Backend = scenarios.BackendMemory
			cfg.Items = 100
			cfg.Latency = 2 * time.Second
			ctx, cancel := context.WithTimeout(t.Context(), time.Second)
			defer cancel()
			start := time.Now()
			_, err := s.Run(ctx, cfg)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Equal(t, time.Second, time.Since(start), "every fetch stops at the deadline")
		})
	})
	t.Run("download/http/cancelled-midway", func(t *testing.T) {
		// The server would wait a minute: the handlers must see the
		// requests go, or Close below would block for that minute.
		srv := scenarios.NewFileServer(time.Minute)
		defer srv.Close()
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
		defer cancel()
		_, err := scenarios.Download(ctx, srv.Fetch, 5)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Zero(t, srv.Served(), "no file served")
	})
}

// TestDownloadOverHTTP fetches from the real loopback server. It asserts
// bytes and order, never time: wall-clock time belongs to the benchmarks.
func TestDownloadOverHTTP(t *testing.T) {
	const n = 5
	t.Run("download/http/files=5", func(t *testing.T) {
		srv := scenarios.NewFileServer(time.Millisecond)
		defer srv.Close()
		files, err := scenarios.Download(t.Context(), srv.Fetch, n)
		require.NoError(t, err)
		assertFiles(t, n, files)
		assert.Equal(t, int64(n), srv.Served(), "each file served once")
	})
	t.Run("download/http/files=300", func(t *testing.T) {
		srv := scenarios.NewFileServer(time.Millisecond)
		defer srv.Close()
		files, err := scenarios.Download(t.Context(), srv.Fetch, 300)
		require.NoError(t, err)
		assertFiles(t, 300, files)
	})
	t.Run("download/http/serial/files=5", func(t *testing.T) {
		srv := scenarios.NewFileServer(time.Millisecond)
		defer srv.Close()
		files, err := scenarios.DownloadSerial(t.Context(), srv.Fetch, n)
		require.NoError(t, err)
		assertFiles(t, n, files)
	})
	t.Run("download/http/scenario", func(t *testing.T) {
		s, err := scenarios.Lookup("download")
		require.NoError(t, err)
		cfg := scenarios.Config{Items: n, Latency: time.Millisecond, Backend: scenarios.BackendHTTP}
		res, err := s.Run(t.Context(), cfg)
		require.NoError(t, err)
		assert.NoError(t, s.Check(cfg, res))
		files, ok := res.Data.([][]byte)
		require.True(t, ok, "Result.Data is [][]byte")
		assertFiles(t, n, files)
	})
	t.Run("download/http/not-found", func(t *testing.T) {
		srv := scenarios.NewFileServer(0)
		defer srv.Close()
		_, err := srv.Fetch(t.Context(), -1)
		assert.EqualError(t, err, "GET /file/-1: 404 Not Found")
	})
}

func TestFileContentDiffers(t *testing.T) {
	a, b := scenarios.FileContent(1), scenarios.FileContent(2)
	assert.Len(t, a, scenarios.FileSize)
	assert.True(t, bytes.HasPrefix(a, []byte("file 1\n")))
	assert.NotEqual(t, a, b, "a file served under the wrong number is caught")
	assert.Equal(t, a, scenarios.FileContent(1), "content is deterministic")
}

func TestCheckDownloadRejects(t *testing.T) {
	s, err := scenarios.Lookup("download")
	require.NoError(t, err)
	cfg := scenarios.Config{Items: 3, Backend: scenarios.BackendMemory}
	good := func() scenarios.Result {
		files := [][]byte{scenarios.FileContent(0), scenarios.FileContent(1), scenarios.FileContent(2)}
		return scenarios.Result{Items: 3, Total: 3 * scenarios.FileSize, MaxConcurrent: 3, Data: files}
	}
	require.NoError(t, s.Check(cfg, good()))
	for _, tc := range []struct {
		name string
		edit func(*scenarios.Result)
		want string
	}{
		{"out-of-order", func(r *scenarios.Result) {
			f := r.Data.([][]byte)
			f[0], f[1] = f[1], f[0]
		}, `file 0: got 1024 bytes starting "file 1\n`},
		{"missing", func(r *scenarios.Result) { r.Data = r.Data.([][]byte)[:2] }, "2 files downloaded (3 counted), want 3"},
		{"truncated", func(r *scenarios.Result) { r.Data.([][]byte)[2] = scenarios.FileContent(2)[:10] }, "file 2: got 10 bytes"},
		{"wrong-type", func(r *scenarios.Result) { r.Data = "x" }, "result data is string, want [][]byte"},
	} {
		t.Run("download/check/"+tc.name, func(t *testing.T) {
			res := good()
			tc.edit(&res)
			err := s.Check(cfg, res)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// The article's three threads, each downloading one file: here three
// goroutines fetch three files from a loopback HTTP server that takes 10ms
// to answer, and the files come back in input order.
func ExampleDownload() {
	srv := scenarios.NewFileServer(10 * time.Millisecond)
	defer srv.Close()
	files, err := scenarios.Download(context.Background(), srv.Fetch, 3)
	if err != nil {
		panic(err)
	}
	for _, f := range files {
		line, _, _ := bytes.Cut(f, []byte("\n"))
		fmt.Printf("%s: %d bytes\n", line, len(f))
	}
	// Output:
	// file 0: 1024 bytes
	// file 1: 1024 bytes
	// file 2: 1024 bytes
}

// TestNewFileServerConnectsBeforeReturning: the connections are warmed up
// by goroutines NewFileServer waits for, so none of them is left running
// its handshake when it returns (labelled like the test, they are told
// apart from the HTTP machinery's own goroutines).
func TestNewFileServerConnectsBeforeReturning(t *testing.T) {
	for round := range 20 {
		label := fmt.Sprintf("file-server-round-%d", round)
		var srv *scenarios.FileServer
		pprof.Do(t.Context(), pprof.Labels("conclab-test", label), func(context.Context) {
			srv = scenarios.NewFileServer(0)
		})
		n := goroutinesIn(t, "conclab-test", label, "scenarios.NewFileServer.")
		srv.Close()
		require.Zero(t, n, "round %d: warm-up goroutines still running after NewFileServer returned", round)
	}
}
