package bankcsv

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
)

// Signature names the layout of a bank's export: its separator and its header row, each
// name folded (case, accents, punctuation) and trailing empty columns dropped, hashed. The
// preamble, which holds the account number and the period, does not count, so the same
// bank's next export has the same signature and the mapping confirmed for the first is
// found again. A file without a named header is signed by its separator, its width and the
// shapes of its first row's values.
func Signature(t *Table) string {
	if t == nil {
		return ""
	}
	var names []string
	if h := headerRow(t); h >= 0 {
		for _, c := range t.Rows[h] {
			names = append(names, fold(c))
		}
	} else if len(t.Rows) > 0 {
		r := t.Rows[0]
		names = append(names, "#"+strconv.Itoa(len(r)))
		for _, c := range r {
			names = append(names, shape(c))
		}
	}
	for len(names) > 0 && names[len(names)-1] == "" {
		names = names[:len(names)-1]
	}
	sum := sha256.Sum256([]byte(t.Comma + "\x1e" + strings.Join(names, "\x1f")))
	return "csv1-" + hex.EncodeToString(sum[:8])
}

// shape is what a value looks like, for the signature of a file without a header.
func shape(s string) string {
	switch {
	case strings.TrimSpace(s) == "":
		return ""
	case layoutOf(s) != "":
		return "date:" + layoutOf(s)
	case amountShaped(s):
		return "amount"
	}
	return "text"
}
