package importer

import (
	"fmt"
	"strings"

	"selfdata/internal/input"
	"selfdata/internal/money"
)

// Decimal normalizes a money amount written by a source ("1 234,50", "+12.5", "-0.10",
// "1234.", ".5") into the exact decimal string the doctypes use ("1234.50", "12.50", "-0.10"):
// it undoes the sources' own spellings (spaces between thousands, a decimal comma, a
// leading "+" or ".", a trailing "."), then reads the amount with internal/money, whose
// String is the canonical form (at least two decimals, no leading zeros, never "-0"). It
// never goes through a float and keeps every decimal written. It refuses anything that is
// not a plain decimal number.
func Decimal(s string) (string, error) {
	t := strings.TrimSpace(s)
	t = strings.ReplaceAll(t, "\u00a0", "")
	t = strings.ReplaceAll(t, " ", "")
	if strings.Count(t, ",") == 1 && !strings.Contains(t, ".") {
		t = strings.Replace(t, ",", ".", 1)
	}
	sign := ""
	switch {
	case strings.HasPrefix(t, "-"):
		sign, t = "-", t[1:]
	case strings.HasPrefix(t, "+"):
		t = t[1:]
	}
	if strings.HasPrefix(t, ".") {
		t = "0" + t // ".5"
	}
	if strings.HasSuffix(t, ".") && !strings.HasSuffix(t, "..") {
		t = strings.TrimSuffix(t, ".") // "1234."
	}
	if t == "" || strings.HasPrefix(t, "-") || strings.HasPrefix(t, "+") {
		return "", fmt.Errorf("%s is not a decimal amount", input.Excerpt(s))
	}
	a, err := money.Parse(sign + t)
	if err != nil {
		return "", fmt.Errorf("%s is not a decimal amount", input.Excerpt(s))
	}
	return a.String(), nil
}
