// Package money is the one exact decimal type for amounts: what bills, bank operations,
// contracts and health claims hold as decimal strings ("-90.43", "0.25160"), read once and
// added, compared and multiplied without ever going through a float, so that a sum of a
// year of operations is the cent the bank says, and an amount with more than two decimals
// (an energy unit price, a broker's quantity) keeps all of them.
package money

import (
	"errors"
	"fmt"
	"math/big"
	"strings"

	"selfdata/internal/input"
)

// Amount is an exact decimal: coef × 10^-scale. The zero value is 0. Amounts are values:
// every operation returns a new one.
type Amount struct {
	coef  *big.Int // nil means 0
	scale int32
}

// ErrSyntax is what Parse returns for text that is not a plain decimal number.
var ErrSyntax = errors.New("not a decimal amount")

// maxDigits bounds each side of the point in what Parse accepts, so that a hostile file cannot make one amount cost
// megabytes; no real amount has 40 digits.
const maxDigits = 40

// Parse reads a plain decimal ("12", "-0.10", "+7.5", "1234.5678") exactly. It refuses
// exponents, separators and anything else: sources' own ways of writing amounts ("1 234,50")
// are normalized by the importers before.
func Parse(s string) (Amount, error) {
	t := s
	neg := false
	switch {
	case strings.HasPrefix(t, "-"):
		neg, t = true, t[1:]
	case strings.HasPrefix(t, "+"):
		t = t[1:]
	}
	whole, frac, dot := strings.Cut(t, ".")
	if whole == "" || !digits(whole) || dot && !digits(frac) || len(whole) > maxDigits || len(frac) > maxDigits {
		return Amount{}, fmt.Errorf("%s: %w", input.Excerpt(s), ErrSyntax)
	}
	c, _ := new(big.Int).SetString(whole+frac, 10)
	if neg {
		c.Neg(c)
	}
	return Amount{coef: c, scale: int32(len(frac))}, nil
}

// MustParse is Parse for constants in code and tests; it panics on a bad literal.
func MustParse(s string) Amount {
	a, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return a
}

// Cents is n hundredths.
func Cents(n int64) Amount { return Amount{coef: big.NewInt(n), scale: 2} }

func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

func (a Amount) int() *big.Int {
	if a.coef == nil {
		return new(big.Int)
	}
	return a.coef
}

// at returns a's coefficient at scale s ≥ a.scale.
func (a Amount) at(s int32) *big.Int {
	c := new(big.Int).Set(a.int())
	if s > a.scale {
		c.Mul(c, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(s-a.scale)), nil))
	}
	return c
}

// Add is a + b.
func (a Amount) Add(b Amount) Amount {
	s := max(a.scale, b.scale)
	return Amount{coef: new(big.Int).Add(a.at(s), b.at(s)), scale: s}
}

// Sub is a − b.
func (a Amount) Sub(b Amount) Amount { return a.Add(b.Neg()) }

// Neg is −a.
func (a Amount) Neg() Amount { return Amount{coef: new(big.Int).Neg(a.int()), scale: a.scale} }

// Abs is |a|.
func (a Amount) Abs() Amount { return Amount{coef: new(big.Int).Abs(a.int()), scale: a.scale} }

// Sign is -1, 0 or +1.
func (a Amount) Sign() int { return a.int().Sign() }

// IsZero tells whether a is 0.
func (a Amount) IsZero() bool { return a.Sign() == 0 }

// Cmp compares a and b: -1, 0 or +1.
func (a Amount) Cmp(b Amount) int {
	s := max(a.scale, b.scale)
	return a.at(s).Cmp(b.at(s))
}

// Equal tells whether a and b are the same number ("1.5" and "1.50" are).
func (a Amount) Equal(b Amount) bool { return a.Cmp(b) == 0 }

// Mul is a × b, exactly (a unit price times a quantity).
func (a Amount) Mul(b Amount) Amount {
	return Amount{coef: new(big.Int).Mul(a.int(), b.int()), scale: a.scale + b.scale}
}

// Round is a rounded to n decimals, halves away from zero (as invoices round).
func (a Amount) Round(n int32) Amount {
	if a.scale <= n {
		return a
	}
	div := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(a.scale-n)), nil)
	q, r := new(big.Int).QuoRem(a.int(), div, new(big.Int))
	if new(big.Int).Mul(new(big.Int).Abs(r), big.NewInt(2)).Cmp(div) >= 0 {
		q.Add(q, big.NewInt(int64(a.Sign())))
	}
	return Amount{coef: q, scale: n}
}

// Div is a ÷ n rounded to the cent (a yearly cost per month); n must not be 0.
func (a Amount) Div(n int64) Amount {
	// Truncated at one digit more than the cent, the quotient rounds as the exact one
	// would: the halfway point (x.xx5) is representable there.
	s := max(a.scale, 2) + 1
	q := new(big.Int).Quo(a.at(s), big.NewInt(n))
	return Amount{coef: q, scale: s}.Round(2)
}

// Float is a as a float64, for drawing a chart: never for arithmetic on money.
func (a Amount) Float() float64 {
	f, _ := new(big.Float).SetInt(a.int()).Float64()
	for i := int32(0); i < a.scale; i++ {
		f /= 10
	}
	return f
}

// String is a as the doctypes write amounts: a plain decimal with at least two decimals
// ("-90.43", "12.50", "0.2516"), never "-0".
func (a Amount) String() string {
	s := max(a.scale, 2)
	c := a.at(s)
	neg := c.Sign() < 0
	digits := new(big.Int).Abs(c).String()
	for len(digits) <= int(s) {
		digits = "0" + digits
	}
	cut := len(digits) - int(s)
	out := digits[:cut] + "." + digits[cut:]
	if neg {
		out = "-" + out
	}
	return out
}

// Sum adds amounts.
func Sum(as ...Amount) Amount {
	var t Amount
	for _, a := range as {
		t = t.Add(a)
	}
	return t
}
