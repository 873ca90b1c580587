package export

import (
	"math"
	"strconv"
	"time"

	"selfdata/internal/store/chunk"
)

// The readings' CSV is most of an export's work after the files: ten million lines for a
// meter read every minute for twenty years. Its two fields are written here without the
// general formatters' cost, and say exactly what those would.

// AppendValue writes a reading as its source gave it: with the series' decimals, or, for a
// series finer than chunk.MaxDecimals, at the shortest that reads back as the same float64.
//
// A reading of a series of d decimals was parsed from d decimals, so v×10^d is within a hair
// of a whole number n, and the correctly rounded d-decimal writing of v is n with a point put
// in: that is written from the integer, far faster than strconv's exact float formatting.
// Below 2^52 the product's own rounding is at most a quarter, so n is what rounding the exact
// product gives. Anything else — a value not that close to a whole number, one at or above
// 2^52 once scaled, a negative zero — goes to strconv.
func AppendValue(buf []byte, v float64, decimals int) []byte {
	if decimals < 0 || decimals > chunk.MaxDecimals || math.IsInf(v, 0) || math.IsNaN(v) {
		return strconv.AppendFloat(buf, v, 'f', -1, 64)
	}
	x := v * pow10[decimals]
	n := math.Round(x)
	if math.Abs(x-n) > 1e-6 || math.Abs(n) >= 1<<52 || (v == 0 && math.Signbit(v)) {
		return strconv.AppendFloat(buf, v, 'f', decimals, 64)
	}
	return appendFixed(buf, int64(n), decimals)
}

var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9}

// appendFixed writes n / 10^decimals with exactly that many decimals.
func appendFixed(buf []byte, n int64, decimals int) []byte {
	if n < 0 {
		buf = append(buf, '-')
		n = -n
	}
	var digits [24]byte
	d := strconv.AppendInt(digits[:0], n, 10)
	if decimals == 0 {
		return append(buf, d...)
	}
	for len(d) <= decimals { // 5 at 3 decimals is 0.005
		d = append(d, 0)
		copy(d[1:], d)
		d[0] = '0'
	}
	cut := len(d) - decimals
	buf = append(buf, d[:cut]...)
	buf = append(buf, '.')
	return append(buf, d[cut:]...)
}

// instants writes instants as time.RFC3339Nano in UTC, keeping the date of the last one
// written: readings come in order, so most share their day with the one before and only the
// time of day is formatted.
type instants struct {
	day   int64 // days since the epoch of date
	date  []byte
	valid bool
}

const secondsPerDay = 86400

func (c *instants) append(buf []byte, t time.Time) []byte {
	t = t.UTC()
	secs := t.Unix()
	day := secs / secondsPerDay
	if secs < 0 && secs%secondsPerDay != 0 {
		day--
	}
	if !c.valid || day != c.day {
		c.date = t.AppendFormat(c.date[:0], "2006-01-02T")
		c.day, c.valid = day, true
	}
	buf = append(buf, c.date...)
	s := secs - day*secondsPerDay
	buf = append2(buf, s/3600)
	buf = append(buf, ':')
	buf = append2(buf, s/60%60)
	buf = append(buf, ':')
	buf = append2(buf, s%60)
	if ns := t.Nanosecond(); ns != 0 {
		buf = appendFraction(buf, ns)
	}
	return append(buf, 'Z')
}

// append2 writes 0 to 99 on two digits.
func append2(buf []byte, n int64) []byte {
	return append(buf, byte('0'+n/10), byte('0'+n%10))
}

// appendFraction writes a second's fraction as RFC3339Nano does: a point and up to nine
// digits, the trailing zeros left out.
func appendFraction(buf []byte, ns int) []byte {
	var d [9]byte
	for i := 8; i >= 0; i-- {
		d[i] = byte('0' + ns%10)
		ns /= 10
	}
	end := 9
	for end > 0 && d[end-1] == '0' {
		end--
	}
	buf = append(buf, '.')
	return append(buf, d[:end]...)
}
