package chunk

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"time"

	"selfdata/internal/store"
)

// version is the first byte of every chunk, so that a later layout can be read beside this one.
const version = 1

// ErrCorrupt is wrapped by every Decode error: a chunk that does not decode is damaged storage,
// never bad user input.
var ErrCorrupt = errors.New("corrupt chunk")

// Encode returns the blob that stores rs, which must be sorted by instant and unique at
// millisecond precision (SplitByDay and Merge produce such slices).
//
// Layout, version 1:
//
//	byte     version, 1
//	uvarint  n, the number of readings
//	varint   the first instant, Unix milliseconds (absent when n is 0)
//	uvarint  n−1 deltas between consecutive instants, in milliseconds, each ≥ 1
//	byte     n control bytes, one a value
//	bytes    the values' bytes: for control byte c, c&0x0f bytes, little-endian
//
// A value's float64 bits are the previous value's bits (0 before the first) XOR its bytes
// shifted left by 8·(c>>4) bits. Meter values are mostly near their neighbour or integral, so
// the XOR has zero bytes at both ends and most values take 2 to 5 bytes instead of 8; a repeated
// value takes its control byte only. Decoding stays a load and two shifts, with no bit-level
// reading, and because the control bytes stand apart the position of a value's bytes does not
// wait on reading the previous value. Half-hourly instants take 3 bytes, so a half-hourly
// meter's reading takes about 6 bytes, against 16 for a plain instant and value.
//
// Values are kept bit for bit: NaN payloads, infinities and negative zero come back as they went
// in. Refusing non-finite values is the job of whoever accepts readings, not of storage.
//
// Encode panics if rs is not strictly increasing in milliseconds: storing it would silently lose
// readings, and only a caller bug can produce it.
func Encode(rs []store.Reading) []byte {
	b := make([]byte, 0, 2+binary.MaxVarintLen64+len(rs)*8)
	b = append(b, version)
	b = binary.AppendUvarint(b, uint64(len(rs)))
	if len(rs) == 0 {
		return b
	}
	prev := rs[0].At.UnixMilli()
	b = binary.AppendVarint(b, prev)
	for i := 1; i < len(rs); i++ {
		ms := rs[i].At.UnixMilli()
		if ms <= prev {
			panic(fmt.Sprintf("chunk.Encode: readings not strictly increasing at index %d (%v after %v)", i, rs[i].At, rs[i-1].At))
		}
		b = binary.AppendUvarint(b, uint64(ms)-uint64(prev)) // wraps correctly: ms > prev
		prev = ms
	}
	// Control bytes first, then the bytes they describe: a decoder then knows where each value's
	// bytes are without reading the previous value's, and values decode in parallel.
	var last uint64
	for _, r := range rs {
		v := math.Float64bits(r.Value)
		b = append(b, control(last^v))
		last = v
	}
	last = 0
	for _, r := range rs {
		v := math.Float64bits(r.Value)
		x := last ^ v
		last = v
		c := control(x)
		x >>= 8 * (c >> 4)
		for range c & 0x0f {
			b = append(b, byte(x))
			x >>= 8
		}
	}
	return b
}

// Decode reads a blob written by Encode.
func Decode(b []byte) ([]store.Reading, error) {
	return AppendDecode(nil, b)
}

// AppendDecode appends the readings of b to dst, so that a reader walking many chunks reuses one
// buffer. On error dst is returned with its original length.
//
// Every way a blob can be damaged (truncated, trailing bytes, a count larger than the bytes can
// hold, instants that do not increase or overflow) is an error wrapping ErrCorrupt; it never
// panics and never allocates more than the blob's length can justify.
func AppendDecode(dst []store.Reading, b []byte) ([]store.Reading, error) {
	if len(b) == 0 {
		return dst, fmt.Errorf("%w: empty", ErrCorrupt)
	}
	if b[0] != version {
		return dst, fmt.Errorf("%w: unknown version %d", ErrCorrupt, b[0])
	}
	count, k := binary.Uvarint(b[1:])
	if k <= 0 {
		return dst, fmt.Errorf("%w: bad count", ErrCorrupt)
	}
	p := 1 + k
	if count == 0 {
		if p != len(b) {
			return dst, fmt.Errorf("%w: %d bytes after an empty chunk", ErrCorrupt, len(b)-p)
		}
		return dst, nil
	}
	// Each reading takes at least one byte of instant and one of value.
	if count > uint64(len(b)-p)/2 {
		return dst, fmt.Errorf("%w: count %d larger than %d bytes can hold", ErrCorrupt, count, len(b)-p)
	}
	n := int(count)
	ms, k := binary.Varint(b[p:])
	if k <= 0 {
		return dst, fmt.Errorf("%w: bad first instant", ErrCorrupt)
	}
	p += k
	// Find where the values start, so that instants and values can be decoded a block at a time.
	v := skipUvarints(b, p, n-1)
	if v < 0 {
		return dst, fmt.Errorf("%w: truncated in instants", ErrCorrupt)
	}
	ds, vs := b[p:v], b[v:]
	if len(vs) < n {
		return dst, fmt.Errorf("%w: truncated in value control bytes", ErrCorrupt)
	}
	ctrl := vs[:n]
	vs = vs[n:]

	base := len(dst)
	dst = slices.Grow(dst, n)[:base+n]
	if i, why := fill(dst[base:], ms, ds, ctrl, vs); i >= 0 {
		return dst[:base], fmt.Errorf("%w: reading %d: %s", ErrCorrupt, i, why)
	}
	return dst, nil
}

// fill decodes the readings into out, a block at a time: instants, then values. Each of the two
// loops is small enough to keep its state in registers, and a block stays in the L1 cache
// between them. It returns the index of the first bad reading and why, or -1.
func fill(out []store.Reading, ms int64, ds, ctrl, vs []byte) (int, string) {
	const block = 256
	out[0].At = time.UnixMilli(ms).UTC()
	var p, q int
	var last uint64
	for s := 0; s < len(out); s += block {
		o := out[s:min(s+block, len(out))]
		var bad int
		from := 0
		if s == 0 {
			from = 1 // the first instant is not a delta
		}
		if ms, p, bad = fillInstants(o, from, ms, ds, p); bad >= 0 {
			return s + bad, "bad instant delta"
		}
		if last, q, bad = fillValues(o, ctrl[s:s+len(o)], vs, q, last); bad >= 0 {
			return s + bad, "bad value"
		}
	}
	if p != len(ds) {
		return len(out) - 1, "overlong instant delta"
	}
	if q != len(vs) {
		return len(out) - 1, "trailing bytes after the last value"
	}
	return -1, ""
}

// fillInstants sets out[from:].At from the deltas in ds at p; it returns the last instant, the
// new position and -1, or the index of a bad delta.
func fillInstants(out []store.Reading, from int, ms int64, ds []byte, p int) (int64, int, int) {
	for i := from; i < len(out); i++ {
		var d uint64
		if t := ds[min(p, len(ds)):]; len(t) >= 3 && t[0]&t[1]&0x80 != 0 && t[2] < 0x80 {
			// Three bytes: 16 s to 35 min, the usual meter intervals.
			d = uint64(t[0]&0x7f) | uint64(t[1]&0x7f)<<7 | uint64(t[2])<<14
			p += 3
		} else {
			var k int
			if d, k = binary.Uvarint(t); k <= 0 {
				return ms, p, i
			}
			p += k
		}
		if d == 0 || d > uint64(math.MaxInt64)-uint64(ms) {
			return ms, p, i
		}
		ms += int64(d)
		out[i].At = time.UnixMilli(ms).UTC()
	}
	return ms, p, -1
}

// fillValues sets out[i].Value from the control bytes ctrl and the value bytes in vs at q; it
// returns the last value's bits, the new position and -1, or the index of a bad value.
func fillValues(out []store.Reading, ctrl, vs []byte, q int, last uint64) (uint64, int, int) {
	ctrl = ctrl[:len(out)]
	for i, c := range ctrl {
		nb, tz := uint(c&0x0f), uint(c>>4)
		if nb+tz > 8 {
			return last, q, i
		}
		if nb == 0 {
			// The value repeats the previous one.
		} else if q+8 <= len(vs) {
			// Keep the nb low bytes and move them tz bytes up: two shifts, both below 64.
			last ^= binary.LittleEndian.Uint64(vs[q:]) << ((64 - 8*nb) & 63) >> ((64 - 8*nb - 8*tz) & 63)
		} else {
			if q+int(nb) > len(vs) {
				return last, q, i
			}
			var x uint64
			for j := q + int(nb) - 1; j >= q; j-- {
				x = x<<8 | uint64(vs[j])
			}
			last ^= x << (8 * tz)
		}
		q += int(nb)
		out[i].Value = math.Float64frombits(last)
	}
	return last, q, -1
}

// control returns the control byte of a value's XOR with the previous value: the number of
// zero bytes at the low end (high nibble) and of the bytes that follow up to the last non-zero
// one (low nibble).
func control(x uint64) byte {
	if x == 0 {
		return 0
	}
	tz := bits.TrailingZeros64(x) / 8
	nb := 8 - bits.LeadingZeros64(x)/8 - tz
	return byte(tz<<4 | nb)
}

// skipUvarints returns the position in b after the k uvarints that start at p, or -1 if b ends
// first. It counts terminating bytes (high bit clear) eight at a time.
func skipUvarints(b []byte, p, k int) int {
	for k > 0 && p+8 <= len(b) {
		ends := bits.OnesCount64(^binary.LittleEndian.Uint64(b[p:]) & 0x8080808080808080)
		if ends >= k {
			break
		}
		k -= ends
		p += 8
	}
	for ; k > 0; p++ {
		if p >= len(b) {
			return -1
		}
		if b[p] < 0x80 {
			k--
		}
	}
	return p
}
