package scenarios

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
)

// DownloadPython is the article's Threading example: one thread per file,
// each waiting on the network, all waiting at once.
//
// The download scenario reads Items (files), Latency (the server's wait
// before it answers) and Backend. Result.Data is a [][]byte holding file i
// at index i; Result.Total is the number of bytes downloaded, and
// Result.MaxConcurrent the peak number of fetches in flight at once.
const DownloadPython = `def download_file(file_num):
    print(f"Downloading file {file_num}...")
    time.sleep(2)
    print(f"File {file_num} downloaded.")

for i in range(3):
    t = threading.Thread(target=download_file, args=(i + 1,))
    threads.append(t)
    t.start()
for t in threads:
    t.join()`

// maxStreams is the number of requests the server lets one connection
// carry at once: as many as a Config has items.
const maxStreams = MaxItems

// FileSize is the size in bytes of every file the download back-ends serve.
const FileSize = 1024

// FileContent returns the bytes of file i, which both back-ends serve: a
// first line "file <i>" followed by bytes that depend on i, so that a file
// served under the wrong number or truncated is caught.
func FileContent(i int) []byte {
	b := make([]byte, FileSize)
	fillFile(b, i)
	return b
}

// fileBufs holds *[FileSize]byte buffers for the server's answers.
var fileBufs = sync.Pool{New: func() any { return new([FileSize]byte) }}

// fillFile writes FileContent(i) into b, which is FileSize bytes long.
func fillFile(b []byte, i int) {
	for j := 0; j < FileSize; j += 8 {
		binary.LittleEndian.PutUint64(b[j:], mix(uint64(i)<<32|uint64(j)))
	}
	copy(b, "file "+strconv.Itoa(i)+"\n")
}

// A Fetcher fetches file i. It returns ctx.Err() (possibly wrapped) soon
// after ctx is done, and must be safe for concurrent use.
type Fetcher func(ctx context.Context, i int) ([]byte, error)

// MemoryFetcher returns a Fetcher that waits latency with [Sleep], then
// returns [FileContent](i): the network taken out, so that a
// testing/synctest bubble (where real sockets do not work) runs downloads
// in exact virtual time.
func MemoryFetcher(latency time.Duration) Fetcher {
	return func(ctx context.Context, i int) ([]byte, error) {
		if err := Sleep(ctx, latency); err != nil {
			return nil, err
		}
		return FileContent(i), nil
	}
}

// FileServer is an HTTP server on 127.0.0.1 that serves [FileContent](i)
// at /file/<i> after waiting its latency, and a client sized to fetch from
// it with any number of concurrent requests. Make one with [NewFileServer];
// Close it when done.
//
// Client and server speak HTTP/2 over cleartext TCP (h2c, with prior
// knowledge), and every fetch in flight is a stream of one of a few shared
// connections, as a browser's requests to one host are. One HTTP/1.1
// connection per fetch, as the article's threads would open, does not
// scale to the thousands of concurrent files conclab benchmarks: each fetch
// costs the process two file descriptors (10 000 fetches exceed a
// `ulimit -n` of 20 000), and a burst of connects overflows the listen
// backlog (net.core.somaxconn), whose dropped handshakes the kernel retries
// only after a second (9 000 fetches over HTTP/1.1 overflowed it 3 700
// times and took 3.2s for a 1s latency). The server still answers HTTP/1.1
// clients such as curl.
type FileServer struct {
	srv     *httptest.Server
	conns   []*http.Transport // each of one connection
	next    atomic.Uint64     // the transport of the next Fetch, modulo len(conns)
	latency time.Duration
	served  atomic.Int64
}

// NewFileServer starts a server whose handler waits latency, or until the
// request is cancelled, before it answers. The client side opens
// fileServerConns (16) connections, spreads the fetches over them in turn,
// and sends up to MaxItems requests on each at once; more wait for a stream.
//
// A few connections rather than one: each HTTP/2 connection funnels all its
// streams through one server goroutine and one client read loop, so that a
// burst of thousands of fetches on one connection queues on those two
// goroutines, and the server's write scheduler scans all of a connection's
// open streams for each frame it writes.
func NewFileServer(latency time.Duration) *FileServer {
	s := &FileServer{latency: latency}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.serveFile))
	s.srv.Config.Protocols = new(http.Protocols)
	s.srv.Config.Protocols.SetHTTP1(true)
	s.srv.Config.Protocols.SetUnencryptedHTTP2(true)
	s.srv.Config.HTTP2 = &http.HTTP2Config{MaxConcurrentStreams: maxStreams}
	s.srv.Start()
	s.conns = make([]*http.Transport, fileServerConns)
	for c := range s.conns {
		tr := &http.Transport{
			Protocols: new(http.Protocols),
			// One connection: without this bound, every request issued
			// while the first connection is still being dialled dials its
			// own (they see no connection to share yet), thousands of them
			// in a burst.
			MaxConnsPerHost: 1,
			HTTP2: &http.HTTP2Config{
				// Strict: a request beyond the connection's stream limit
				// waits for a stream instead of dialling another
				// connection. Until the server's SETTINGS arrive, Go's
				// client assumes a limit of 100.
				StrictMaxConcurrentRequests: true,
				// No HPACK dynamic table for requests: every path is
				// new, and indexing each one evicts an older one, which
				// costs more than the bytes it would save on a loopback
				// (a tenth of the CPU of 10 000 fetches).
				MaxEncoderHeaderTableSize: 1,
			},
			IdleConnTimeout:    time.Minute,
			DisableCompression: true,
		}
		tr.Protocols.SetUnencryptedHTTP2(true)
		s.conns[c] = tr
	}
	// Connect now: each connection's dial and HTTP/2 handshake is a cost
	// of the client, not of the first fetches that happen to use it.
	var connected sync.WaitGroup
	for _, tr := range s.conns {
		connected.Go(func() {
			req, err := http.NewRequest(http.MethodHead, s.srv.URL+"/", nil)
			if err != nil {
				return
			}
			if resp, err := tr.RoundTrip(req); err == nil {
				resp.Body.Close() // 404 Not Found, at once
			}
		})
	}
	connected.Wait()
	return s
}

// fileServerConns is the number of connections a FileServer's client
// opens. Go's HTTP/2 server scans every open stream of a connection for a
// frame to write each time it looks for one (its round-robin write
// scheduler), a cost that grows as the square of the streams a connection
// carries: 16 connections cut that scan 16-fold at 10 000 files in flight,
// for 16 sockets and a few goroutines each.
const fileServerConns = 16

// fileHeader is the header of every file served, set without
// canonicalising it again for each response.
var fileHeader = http.Header{
	"Content-Type":   {"application/octet-stream"},
	"Content-Length": {strconv.Itoa(FileSize)},
}

// serveFile answers GET /file/<i>: it is the server's only handler, and
// parses the path itself rather than through a ServeMux pattern.
func (s *FileServer) serveFile(w http.ResponseWriter, r *http.Request) {
	num, ok := strings.CutPrefix(r.URL.Path, "/file/")
	i, err := strconv.Atoi(num)
	if !ok || err != nil || i < 0 {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}
	if Sleep(r.Context(), s.latency) != nil {
		return // the client is gone
	}
	s.served.Add(1)
	maps.Copy(w.Header(), fileHeader)
	b := fileBufs.Get().(*[FileSize]byte)
	fillFile(b[:], i)
	w.Write(b[:]) // copies b: a Writer does not retain what it is given
	fileBufs.Put(b)
}

// URL returns the server's base URL, http://127.0.0.1:<port>.
func (s *FileServer) URL() string { return s.srv.URL }

// Served returns the number of files the server has answered so far.
func (s *FileServer) Served() int64 { return s.served.Load() }

// Fetch is a [Fetcher]: it GETs /file/<i> and returns the body. It is safe
// for concurrent use. On cancellation the request is abandoned, which also
// cancels the server's wait, and the error wraps ctx.Err().
func (s *FileServer) Fetch(ctx context.Context, i int) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.srv.URL+"/file/"+strconv.Itoa(i), nil)
	if err != nil {
		return nil, err
	}
	// The Transport rather than an http.Client: there are no redirects,
	// cookies or timeouts to handle, only the request.
	resp, err := s.conns[s.next.Add(1)%uint64(len(s.conns))].RoundTrip(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", req.URL.Path, resp.Status)
	}
	if resp.ContentLength != FileSize {
		return io.ReadAll(resp.Body)
	}
	// One allocation of the right size, instead of io.ReadAll's growing.
	b := make([]byte, FileSize)
	if _, err := io.ReadFull(resp.Body, b); err != nil {
		return nil, err
	}
	return b, nil
}

// Close closes the client's connections, then stops the server and waits
// for its handlers to return. After Close no goroutine of s is left
// running, or will be shortly: the transport's per-connection goroutines
// exit as their sockets close.
func (s *FileServer) Close() {
	for _, tr := range s.conns {
		tr.CloseIdleConnections()
	}
	s.srv.Close()
}

// Download fetches files 0 to n-1 at once, one goroutine per file, and
// returns them in input order: file i at index i, whatever order they
// arrived in. The first error cancels the other fetches through their
// context and is returned once every goroutine has stopped; the files are
// then discarded. Download does not recover panics: a Fetcher that panics
// crashes the program, as errgroup, which Download is built on, decides
// (an uncaught exception in a Python thread only ends that thread).
func Download(ctx context.Context, fetch Fetcher, n int) ([][]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	files := make([][]byte, n)
	g, ctx := errgroup.WithContext(ctx)
	for i := range n {
		g.Go(func() error {
			b, err := fetch(ctx, i)
			if err != nil {
				return fmt.Errorf("file %d: %w", i, err)
			}
			files[i] = b
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return files, nil
}

// DownloadSerial fetches files 0 to n-1 one after another: the baseline
// [Download] is measured against. It stops at the first error.
func DownloadSerial(ctx context.Context, fetch Fetcher, n int) ([][]byte, error) {
	files := make([][]byte, n)
	for i := range n {
		b, err := fetch(ctx, i)
		if err != nil {
			return nil, fmt.Errorf("file %d: %w", i, err)
		}
		files[i] = b
	}
	return files, nil
}

func downloadRun(download func(context.Context, Fetcher, int) ([][]byte, error), how string) RunFunc {
	return func(ctx context.Context, cfg Config) (Result, error) {
		var fetch Fetcher
		switch cfg.Backend {
		case BackendMemory:
			fetch = MemoryFetcher(cfg.Latency)
		case BackendHTTP, "":
			srv := NewFileServer(cfg.Latency)
			defer srv.Close()
			fetch = srv.Fetch
		}
		var inflight Gauge
		files, err := download(ctx, func(ctx context.Context, i int) ([]byte, error) {
			inflight.Enter()
			defer inflight.Leave()
			return fetch(ctx, i)
		}, cfg.Items)
		if err != nil {
			return Result{}, err
		}
		var total int64
		for _, f := range files {
			total += int64(len(f))
		}
		return Result{
			Items:         len(files),
			Total:         total,
			MaxConcurrent: inflight.Peak(),
			Summary: fmt.Sprintf("%d files, %d bytes, %s; at most %d in flight at once",
				len(files), total, how, inflight.Peak()),
			Data: files,
		}, nil
	}
}

func checkDownload(cfg Config, res Result) error {
	files, ok := res.Data.([][]byte)
	if !ok {
		return fmt.Errorf("result data is %T, want [][]byte", res.Data)
	}
	if len(files) != cfg.Items || res.Items != cfg.Items {
		return fmt.Errorf("%d files downloaded (%d counted), want %d", len(files), res.Items, cfg.Items)
	}
	for i, f := range files {
		if want := FileContent(i); string(f) != string(want) {
			return fmt.Errorf("file %d: got %d bytes starting %q, want %d bytes starting %q",
				i, len(f), prefix(f), len(want), prefix(want))
		}
	}
	if want := int64(cfg.Items) * FileSize; res.Total != want {
		return fmt.Errorf("%d bytes downloaded, want %d", res.Total, want)
	}
	if res.MaxConcurrent > cfg.Items {
		return fmt.Errorf("%d fetches in flight at once, more than the %d files", res.MaxConcurrent, cfg.Items)
	}
	return nil
}

func prefix(b []byte) []byte {
	if len(b) > 12 {
		return b[:12]
	}
	return b
}

func init() {
	Register(Scenario{
		Name:     "download",
		Section:  Threading,
		Python:   DownloadPython,
		Doc:      "one goroutine per file fetches it from a loopback HTTP server (or from memory); files come back in input order",
		Kind:     IO,
		Defaults: Config{Items: 3, Latency: 200 * time.Millisecond, Backend: BackendHTTP},
		Run:      downloadRun(Download, "one goroutine per file"),
		Serial:   downloadRun(DownloadSerial, "one after another"),
		Check:    checkDownload,
		Claim: Claim{
			Article: "“Threading is great for I/O-bound tasks”: waits overlap, and waiting costs no CPU.",
			Test:    Overlap,
			Expect:  Supports,
			Go:      "Go: one goroutine per file overlaps the waits as threads do, at a few KiB a goroutine",
		},
		Reads:  Items | Latency | Backend,
		Timing: oneWait,
	})
}
