package chunk

import (
	"math"
	"strconv"
	"strings"

	"selfdata/internal/store"
)

// Readings are float64, but a meter gives decimals: 138.803 m³, 12 Wh. A float64 cannot hold
// most decimals exactly, so adding 365 of them drifts (365 × 138.803 adds up to
// 50663.094999999965), and a sum shown that way is wrong, not precise. Two things keep an
// aggregate as exact as its source: sums are compensated (Neumaier), so that the error stays
// that of one rounding instead of growing with the number of readings, and the result is
// rounded to the series' precision, the number of decimals its readings were given with.

// MaxDecimals is the finest precision a series keeps. No meter gives more than six decimals of
// its unit; a series whose readings need more (values computed rather than measured, such as
// 0.1+0.2) gets FinerDecimals and its aggregates are not rounded at all.
const MaxDecimals = 6

// FinerDecimals is the precision of a series with a reading finer than MaxDecimals, and of
// the series stored before precision was kept (their readings are not read back to learn it).
const FinerDecimals = MaxDecimals + 1

// Decimals is the number of decimals of v as written at its shortest (the fewest digits that
// give back the same float64: 138.803 has 3, 12 has 0), FinerDecimals beyond MaxDecimals.
// Infinities and NaN have none.
func Decimals(v float64) int {
	if math.IsInf(v, 0) || math.IsNaN(v) || v == math.Trunc(v) {
		return 0 // whole numbers, most meters' Wh, without formatting them
	}
	s := strconv.FormatFloat(v, 'e', -1, 64) // d.ddddde±xx: mantissa digits and exponent
	mant, exp, _ := strings.Cut(s, "e")
	e, _ := strconv.Atoi(exp)
	frac := 0
	if _, f, ok := strings.Cut(mant, "."); ok {
		frac = len(f)
	}
	return min(max(frac-e, 0), FinerDecimals)
}

// DecimalsOf is the precision of readings: the most decimals any of their values has.
func DecimalsOf(rs []store.Reading) int {
	d := 0
	for _, r := range rs {
		if d = max(d, Decimals(r.Value)); d == FinerDecimals {
			break
		}
	}
	return d
}

// Round rounds v to d decimals, giving the float64 nearest that decimal, which prints as it
// (50663.094999999965 to 3 decimals is 50663.095). A d beyond MaxDecimals, a value too large
// to have decimals left in a float64, and infinities are returned as they are.
func Round(v float64, d int) float64 {
	if d < 0 || d > MaxDecimals || math.IsInf(v, 0) || math.IsNaN(v) {
		return v
	}
	scale := math.Pow10(d)
	scaled := v * scale
	if math.Abs(scaled) >= 1<<52 {
		return v // every float64 this large is already a whole number of units of 10^-d
	}
	// The integer and the power of ten are exact, and one division rounds correctly.
	return math.Round(scaled) / scale
}

// kahan is a compensated sum (Neumaier's variant of Kahan's): c gathers the low-order bits
// that each addition to s loses, so that s+c stays within one rounding of the exact sum
// whatever the number of terms. Once s is not finite, c is left alone and s is the answer.
type kahan struct{ s, c float64 }

func (k *kahan) add(v float64) {
	t := k.s + v
	if math.IsInf(t, 0) || math.IsNaN(t) {
		k.s = t
		return
	}
	if math.Abs(k.s) >= math.Abs(v) {
		k.c += (k.s - t) + v
	} else {
		k.c += (v - t) + k.s
	}
	k.s = t
}

func (k kahan) sum() float64 {
	if math.IsInf(k.s, 0) || math.IsNaN(k.s) {
		return k.s
	}
	return k.s + k.c
}
