package bankcsv

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"selfdata/internal/importer"
	"selfdata/internal/input"
)

// Layouts are the date layouts Guess tries, in the order an ambiguity is settled: a French
// day first, as French banks write it, before the American month first.
var Layouts = []string{"02/01/2006", "2006-01-02", "02/01/06", "02.01.2006", "02-01-2006", "2006/01/02", "01/02/2006", "01/02/06"}

// checkLayout refuses a layout that cannot give a whole day: it needs a year, a month and
// a day, and nothing finer.
func checkLayout(l string) error {
	if l == "" || len(l) > 40 {
		return errors.New("the mapping needs a date layout such as 02/01/2006")
	}
	ref := time.Date(2006, 1, 2, 0, 0, 0, 0, time.UTC)
	back, err := time.Parse(l, ref.Format(l))
	if err != nil || !back.Equal(ref) {
		return fmt.Errorf("the date layout %s does not name a day, a month and a year (Go layout, such as 02/01/2006)", input.Excerpt(l))
	}
	return nil
}

// readDate reads a day written with layout as ISO 8601.
func readDate(s, layout string) (string, error) {
	t, err := time.Parse(layout, strings.TrimSpace(s))
	if err != nil || t.Year() < 1900 || t.Year() > 2999 {
		return "", fmt.Errorf("%s is not a date written %s", input.Excerpt(s), layout)
	}
	return t.Format(time.DateOnly), nil
}

// spaces are the characters banks put between thousands, and around an amount.
var spaces = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", "\u2009", "", "\t", "")

// symbols are the currency signs an amount may carry.
var symbols = strings.NewReplacer("€", "", "$", "", "£", "")

// readAmount reads an amount as a bank writes it ("-1 234,56", "+12,00", "1,234.56",
// "(12.34)", "12,00 €", "-3.50 EUR") as the exact decimal string the doctypes use. Thousands
// separators must group three digits, so that "1,5" read with a decimal point is refused,
// not taken for 15.
func readAmount(s string, decimalComma bool) (string, error) {
	bad := fmt.Errorf("%s is not an amount", input.Excerpt(s))
	t := symbols.Replace(spaces.Replace(s))
	t = trimCode(t)
	neg := false
	if strings.HasPrefix(t, "(") && strings.HasSuffix(t, ")") {
		neg, t = true, t[1:len(t)-1]
	}
	sign := ""
	if strings.HasPrefix(t, "-") || strings.HasPrefix(t, "+") {
		sign, t = t[:1], t[1:]
	}
	if neg && sign != "" {
		return "", bad
	}
	if neg {
		sign = "-"
	}
	point, thousands := ".", ","
	if decimalComma {
		point, thousands = ",", "."
	}
	whole, frac, hasFrac := strings.Cut(t, point)
	if !digits(frac) && hasFrac || !grouped(whole, thousands) {
		return "", bad
	}
	n := sign + strings.ReplaceAll(whole, thousands, "")
	if hasFrac {
		n += "." + frac
	}
	a, err := importer.Decimal(n)
	if err != nil {
		return "", bad
	}
	return a, nil
}

// trimCode takes a currency code off either end of an amount ("EUR12.00", "12,00EUR").
func trimCode(t string) string {
	for _, c := range []string{"EUR", "USD", "GBP", "CHF"} {
		t = strings.TrimSuffix(strings.TrimPrefix(t, c), c)
	}
	return t
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// grouped tells whether s is digits, with sep between groups of three when it has sep.
func grouped(s, sep string) bool {
	parts := strings.Split(s, sep)
	for i, p := range parts {
		if !digits(p) || i > 0 && len(p) != 3 || i == 0 && len(parts) > 1 && len(p) > 3 {
			return false
		}
	}
	return true
}

// isZero tells whether an amount written in a column is empty or zero: banks write "0,00"
// in the credit column of a debit.
func isZero(s string, decimalComma bool) bool {
	if strings.TrimSpace(s) == "" {
		return true
	}
	a, err := readAmount(s, decimalComma)
	return err == nil && strings.Trim(strings.TrimPrefix(a, "-"), "0.") == ""
}

// negate makes a read amount negative (a debit written without its sign).
func negate(a string) string {
	if strings.HasPrefix(a, "-") || strings.Trim(a, "0.") == "" {
		return a
	}
	return "-" + a
}

// positive drops the sign of a read amount.
func positive(a string) string { return strings.TrimPrefix(a, "-") }

// cleanText collapses the runs of spaces banks pad their labels with.
func cleanText(s string) string {
	return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
}
