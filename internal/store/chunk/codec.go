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
//	n values, each a control byte c followed by c&0x0f bytes, little-endian
//
// A value's float64 bits are the previous value's bits (0 before the first) XOR those bytes
// shifted left by 8·(c>>4) bits. Meter values are mostly near their neighbour or integral, so
// the XOR has zero bytes at both ends and most values take 2 to 5 bytes instead of 8, while
// decoding stays a load, a mask and a shift with no bit-level reading.
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
	var last uint64
	for _, r := range rs {
		v := math.Float64bits(r.Value)
		x := last ^ v
		last = v
		if x == 0 {
			b = append(b, 0)
			continue
		}
		tz := uint(bits.TrailingZeros64(x) / 8)
		x >>= 8 * tz
		nb := uint(8 - bits.LeadingZeros64(x)/8)
		b = append(b, byte(tz<<4|nb))
		for range nb {
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
	first, k := binary.Varint(b[p:])
	if k <= 0 {
		return dst, fmt.Errorf("%w: bad first instant", ErrCorrupt)
	}
	p += k

	base := len(dst)
	dst = slices.Grow(dst, n)[:base+n]
	out := dst[base:]
	out[0].At = time.UnixMilli(first).UTC()
	ms := first
	for i := 1; i < n; i++ {
		var d uint64
		if q := b[p:]; len(q) >= 3 && q[0]&q[1]&0x80 != 0 && q[2] < 0x80 {
			// Three bytes: deltas from about 16 s to 35 min, the common meter intervals.
			d = uint64(q[0]&0x7f) | uint64(q[1]&0x7f)<<7 | uint64(q[2])<<14
			p += 3
		} else {
			var k int
			if d, k = binary.Uvarint(q); k <= 0 {
				return dst[:base], fmt.Errorf("%w: bad delta before instant %d", ErrCorrupt, i)
			}
			p += k
		}
		if d == 0 || d > uint64(math.MaxInt64)-uint64(ms) {
			return dst[:base], fmt.Errorf("%w: instant %d: bad delta %d", ErrCorrupt, i, d)
		}
		ms += int64(d)
		out[i].At = time.UnixMilli(ms).UTC()
	}

	var last uint64
	for i := range out {
		if p >= len(b) {
			return dst[:base], fmt.Errorf("%w: truncated in value %d", ErrCorrupt, i)
		}
		c := uint(b[p])
		p++
		nb, tz := c&0x0f, c>>4
		if nb+tz > 8 {
			return dst[:base], fmt.Errorf("%w: value %d: bad control byte %#x", ErrCorrupt, i, c)
		}
		var x uint64
		if p+8 <= len(b) {
			x = binary.LittleEndian.Uint64(b[p:]) & (uint64(1)<<(8*nb) - 1)
		} else {
			if p+int(nb) > len(b) {
				return dst[:base], fmt.Errorf("%w: truncated in value %d", ErrCorrupt, i)
			}
			for j := int(nb) - 1; j >= 0; j-- {
				x = x<<8 | uint64(b[p+j])
			}
		}
		p += int(nb)
		last ^= x << (8 * tz)
		out[i].Value = math.Float64frombits(last)
	}
	if p != len(b) {
		return dst[:base], fmt.Errorf("%w: %d trailing bytes", ErrCorrupt, len(b)-p)
	}
	return dst, nil
}
