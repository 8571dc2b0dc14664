package scenarios

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// The process pool's wire protocol. The parent and each worker process
// exchange frames over the worker's stdin and stdout, one request then one
// response, in lock-step. A frame is an 8-byte header and a payload:
//
//	offset size  field
//	0      1     magic, 0xCC
//	1      1     version, 1
//	2      1     type: 1 request, 2 result, 3 error
//	3      1     reserved, 0
//	4      4     payload length, big-endian, at most maxFramePayload
//	8      n     payload
//
// and the payloads, all integers big-endian:
//
//	request  id uint64, lo int64, hi int64   compute SquareNumbers(lo, hi)
//	result   id uint64, sum uint64           the checksum for request id
//	error    id uint64, message (UTF-8)      request id could not be served
//
// A frame that breaks any of these rules is rejected with an error wrapping
// [ErrMalformedFrame]; since the stream cannot be resynchronised after one,
// the receiver treats the peer as broken.

const (
	frameMagic      = 0xCC
	frameVersion    = 1
	frameHeaderLen  = 8
	maxFramePayload = 1 << 10
)

// frameType is the third byte of a frame's header.
type frameType uint8

const (
	frameRequest frameType = 1 + iota
	frameResult
	frameError
)

func (t frameType) String() string {
	switch t {
	case frameRequest:
		return "request"
	case frameResult:
		return "result"
	case frameError:
		return "error"
	}
	return fmt.Sprintf("frame type %d", uint8(t))
}

// ErrMalformedFrame is wrapped by every error about a frame of the process
// pool's protocol that breaks its rules: a bad magic, version or type, a
// payload too long or of the wrong size, a frame cut short.
var ErrMalformedFrame = errors.New("malformed frame")

func malformedFrame(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformedFrame, fmt.Sprintf(format, args...))
}

// frame is one decoded frame. Payload aliases the buffer it was decoded
// from.
type frame struct {
	typ     frameType
	payload []byte
}

// appendFrame appends the encoding of a frame to dst. It panics if the
// payload is longer than maxFramePayload: the senders build their payloads
// and never exceed it.
func appendFrame(dst []byte, typ frameType, payload []byte) []byte {
	if len(payload) > maxFramePayload {
		panic(fmt.Sprintf("scenarios: frame payload of %d bytes exceeds %d", len(payload), maxFramePayload))
	}
	dst = append(dst, frameMagic, frameVersion, byte(typ), 0)
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(payload)))
	return append(dst, payload...)
}

// checkHeader validates a frame header and returns its type and payload
// length. Given only the first bytes of a header, it checks those and
// reports the rest as truncated: a peer that writes "hello" is told its
// magic is wrong, not that its frame is short.
func checkHeader(h []byte) (frameType, int, error) {
	if len(h) > 0 && h[0] != frameMagic {
		return 0, 0, malformedFrame("bad magic 0x%02x, want 0x%02x", h[0], frameMagic)
	}
	if len(h) > 1 && h[1] != frameVersion {
		return 0, 0, malformedFrame("unsupported version %d, want %d", h[1], frameVersion)
	}
	if len(h) > 2 && (h[2] < byte(frameRequest) || h[2] > byte(frameError)) {
		return 0, 0, malformedFrame("unknown frame type %d", h[2])
	}
	if len(h) > 3 && h[3] != 0 {
		return 0, 0, malformedFrame("reserved byte is 0x%02x, want 0", h[3])
	}
	if len(h) < frameHeaderLen {
		return 0, 0, truncatedFrame(len(h), frameHeaderLen)
	}
	typ := frameType(h[2])
	n := binary.BigEndian.Uint32(h[4:8])
	if n > maxFramePayload {
		return 0, 0, malformedFrame("payload of %d bytes exceeds the limit of %d", n, maxFramePayload)
	}
	return typ, int(n), nil
}

// decodeFrame decodes the frame at the start of b and returns it with the
// number of bytes it took. If b holds less than a whole frame, the error
// wraps both ErrMalformedFrame and io.ErrUnexpectedEOF.
func decodeFrame(b []byte) (frame, int, error) {
	typ, n, err := checkHeader(b[:min(len(b), frameHeaderLen)])
	if err != nil {
		return frame{}, 0, err
	}
	if len(b) < frameHeaderLen+n {
		return frame{}, 0, truncatedFrame(len(b), frameHeaderLen+n)
	}
	return frame{typ, b[frameHeaderLen : frameHeaderLen+n]}, frameHeaderLen + n, nil
}

func truncatedFrame(got, want int) error {
	return fmt.Errorf("%w: truncated after %d of %d bytes: %w", ErrMalformedFrame, got, want, io.ErrUnexpectedEOF)
}

// readFrame reads one frame from r into buf (grown as needed) and returns
// it; the payload aliases buf. At a clean end of the stream, before the
// first byte of a frame, it returns io.EOF; a stream that ends inside a
// frame is a truncated frame.
func readFrame(r io.Reader, buf []byte) (frame, []byte, error) {
	buf = buf[:0]
	buf = append(buf, make([]byte, frameHeaderLen)...)
	if n, err := io.ReadFull(r, buf); err != nil {
		if err == io.EOF {
			return frame{}, buf, io.EOF
		}
		if err == io.ErrUnexpectedEOF {
			_, _, err = checkHeader(buf[:n])
		}
		return frame{}, buf, err
	}
	typ, size, err := checkHeader(buf)
	if err != nil {
		return frame{}, buf, err
	}
	buf = append(buf, make([]byte, size)...)
	if n, err := io.ReadFull(r, buf[frameHeaderLen:]); err != nil {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return frame{}, buf, truncatedFrame(frameHeaderLen+n, frameHeaderLen+size)
		}
		return frame{}, buf, err
	}
	return frame{typ, buf[frameHeaderLen:]}, buf, nil
}

// A kernelRequest asks a worker for SquareNumbers(Lo, Hi).
type kernelRequest struct {
	ID     uint64
	Lo, Hi int64
}

const requestLen = 24

func (q kernelRequest) appendTo(dst []byte) []byte {
	var p [requestLen]byte
	binary.BigEndian.PutUint64(p[0:], q.ID)
	binary.BigEndian.PutUint64(p[8:], uint64(q.Lo))
	binary.BigEndian.PutUint64(p[16:], uint64(q.Hi))
	return appendFrame(dst, frameRequest, p[:])
}

func decodeRequest(f frame) (kernelRequest, error) {
	if f.typ != frameRequest {
		return kernelRequest{}, malformedFrame("got a %v frame, want a request", f.typ)
	}
	if len(f.payload) != requestLen {
		return kernelRequest{}, malformedFrame("request payload of %d bytes, want %d", len(f.payload), requestLen)
	}
	return kernelRequest{
		ID: binary.BigEndian.Uint64(f.payload[0:]),
		Lo: int64(binary.BigEndian.Uint64(f.payload[8:])),
		Hi: int64(binary.BigEndian.Uint64(f.payload[16:])),
	}, nil
}

// A kernelResponse answers the request with the same ID: the checksum, or
// the reason the worker could not compute it.
type kernelResponse struct {
	ID  uint64
	Sum uint64
	Err string // non-empty for an error frame
}

const resultLen = 16

func (r kernelResponse) appendTo(dst []byte) []byte {
	if r.Err != "" {
		msg := r.Err
		if len(msg) > maxFramePayload-8 {
			msg = msg[:maxFramePayload-8]
		}
		p := binary.BigEndian.AppendUint64(make([]byte, 0, 8+len(msg)), r.ID)
		return appendFrame(dst, frameError, append(p, msg...))
	}
	var p [resultLen]byte
	binary.BigEndian.PutUint64(p[0:], r.ID)
	binary.BigEndian.PutUint64(p[8:], r.Sum)
	return appendFrame(dst, frameResult, p[:])
}

func decodeResponse(f frame) (kernelResponse, error) {
	switch f.typ {
	case frameResult:
		if len(f.payload) != resultLen {
			return kernelResponse{}, malformedFrame("result payload of %d bytes, want %d", len(f.payload), resultLen)
		}
		return kernelResponse{
			ID:  binary.BigEndian.Uint64(f.payload[0:]),
			Sum: binary.BigEndian.Uint64(f.payload[8:]),
		}, nil
	case frameError:
		if len(f.payload) < 8 {
			return kernelResponse{}, malformedFrame("error payload of %d bytes, want at least 8", len(f.payload))
		}
		msg := string(f.payload[8:])
		if msg == "" {
			msg = "unknown error"
		}
		return kernelResponse{ID: binary.BigEndian.Uint64(f.payload[0:]), Err: msg}, nil
	}
	return kernelResponse{}, malformedFrame("got a %v frame, want a result or an error", f.typ)
}
