package importer

import (
	"fmt"
	"strings"

	"selfdata/internal/input"
)

// Decimal normalizes a money amount written by a source ("1 234,50", "+12.5", "-0.10",
// "1234.") into the exact decimal string the doctypes use ("1234.50", "12.50", "-0.10").
// It never goes through a float: amounts are kept exactly as written, with at least two
// decimals. It refuses anything that is not a plain decimal number.
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
	intPart, frac, hasDot := strings.Cut(t, ".")
	if intPart == "" && hasDot {
		intPart = "0"
	}
	if intPart == "" || !digits(intPart) || hasDot && frac != "" && !digits(frac) {
		return "", fmt.Errorf("%s is not a decimal amount", input.Excerpt(s))
	}
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	for len(frac) < 2 {
		frac += "0"
	}
	if strings.Trim(intPart+frac, "0") == "" {
		sign = "" // no negative zero
	}
	return sign + intPart + "." + frac, nil
}

func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}
